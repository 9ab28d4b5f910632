//! `aws_instance`: an EC2 instance with its root volume.

use tf_provider::value::ValueAny;

use super::{ARN, ID, TAGS, TAGS_ALL};
use crate::resource::Kind;
use crate::spec::{BlockSpec, Mode, Obj, Spec, Ty, attr, default, get_num, get_str, string};
use crate::store::{Settings, random_hex};

const ROOT_BLOCK_DEVICE: Spec = Spec {
    attrs: &[
        attr("volume_size", Ty::Number, Mode::OptionalComputed),
        attr("volume_type", Ty::String, Mode::OptionalComputed),
        attr("iops", Ty::Number, Mode::OptionalComputed),
        attr("throughput", Ty::Number, Mode::OptionalComputed),
    ],
    blocks: &[],
};

const CREDIT_SPECIFICATION: Spec = Spec {
    attrs: &[attr("cpu_credits", Ty::String, Mode::Optional)],
    blocks: &[],
};

const SPEC: Spec = Spec {
    attrs: &[
        attr("ami", Ty::String, Mode::Required).force_new(),
        attr("instance_type", Ty::String, Mode::Required),
        attr("availability_zone", Ty::String, Mode::OptionalComputed).force_new(),
        attr("tenancy", Ty::String, Mode::OptionalComputed).force_new(),
        attr("ebs_optimized", Ty::Bool, Mode::OptionalComputed),
        attr("monitoring", Ty::Bool, Mode::OptionalComputed),
        attr("user_data", Ty::String, Mode::Optional).force_new(),
        TAGS,
        TAGS_ALL,
        ID,
        ARN,
    ],
    blocks: &[
        BlockSpec {
            name: "root_block_device",
            max_items: Some(1),
            spec: &ROOT_BLOCK_DEVICE,
        },
        BlockSpec {
            name: "credit_specification",
            max_items: Some(1),
            spec: &CREDIT_SPECIFICATION,
        },
    ],
};

pub const KIND: Kind = Kind {
    type_name: "aws_instance",
    spec: &SPEC,
    plan,
    create,
};

fn plan(obj: &mut Obj, settings: &Settings) {
    default(
        obj,
        "availability_zone",
        string(format!("{}a", settings.region)),
    );
    default(obj, "tenancy", string("default"));
    default(obj, "ebs_optimized", ValueAny::Bool(false));
    default(obj, "monitoring", ValueAny::Bool(false));
    if let Some(ValueAny::List(devices)) = obj.get_mut("root_block_device") {
        for device in devices {
            if let ValueAny::Map(device) = device {
                volume_defaults(device, "volume_type", "volume_size");
            }
        }
    }
}

/// Size, iops and throughput AWS reports for a volume created without them (an 8 GiB gp2
/// root volume unless configured), shared with `aws_ebs_volume`.
pub(super) fn volume_defaults(volume: &mut Obj, type_key: &str, size_key: &str) {
    default(volume, size_key, ValueAny::Number(8));
    default(volume, type_key, string("gp2"));
    let size = get_num(volume, size_key).unwrap_or(8);
    let (iops, throughput) = match get_str(volume, type_key) {
        Some("gp3") => (3000, 125),
        Some("gp2") => ((size * 3).clamp(100, 16000), 0),
        _ => (0, 0),
    };
    default(volume, "iops", ValueAny::Number(iops));
    default(volume, "throughput", ValueAny::Number(throughput));
}

fn create(obj: &mut Obj, settings: &Settings) -> String {
    let id = format!("i-{}", random_hex(17));
    obj.insert(
        "arn".into(),
        string(settings.arn("ec2", &format!("instance/{id}"))),
    );
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gp3_volume_gets_baseline_iops_and_throughput() {
        let mut v: Obj = [("volume_type".to_string(), string("gp3"))].into();
        volume_defaults(&mut v, "volume_type", "volume_size");
        assert_eq!(get_num(&v, "volume_size"), Some(8));
        assert_eq!(get_num(&v, "iops"), Some(3000));
        assert_eq!(get_num(&v, "throughput"), Some(125));
    }

    #[test]
    fn gp2_iops_scale_with_size_with_a_floor_of_100() {
        let mut small = Obj::new();
        volume_defaults(&mut small, "type", "size");
        assert_eq!(get_str(&small, "type"), Some("gp2"));
        assert_eq!(get_num(&small, "iops"), Some(100));
        let mut big: Obj = [("size".to_string(), ValueAny::Number(500))].into();
        volume_defaults(&mut big, "type", "size");
        assert_eq!(get_num(&big, "iops"), Some(1500));
    }
}
