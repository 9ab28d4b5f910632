//! `aws_secretsmanager_secret_version`: a secret in every shape terraform can mark sensitive
//! (a string, a map, a list, an attribute of a nested block, a dynamic value), so a test can
//! rotate each one out of band and check that no output shows any of them. `labels` (a map)
//! and `payload` (dynamic) are not sensitive themselves: a sensitive variable inside them is
//! marked by terraform at that path only.

use super::{ARN, ID};
use crate::resource::Kind;
use crate::spec::{BlockSpec, Mode, Obj, Spec, Ty, attr, get_str, string};
use crate::store::{Settings, random_hex};

const ROTATION: Spec = Spec {
    attrs: &[
        attr("token", Ty::String, Mode::Optional).sensitive(),
        attr("schedule", Ty::String, Mode::Optional),
    ],
    blocks: &[],
};

const SPEC: Spec = Spec {
    attrs: &[
        attr("secret_id", Ty::String, Mode::Required).force_new(),
        attr("secret_string", Ty::String, Mode::Optional).sensitive(),
        attr("secret_map", Ty::StringMap, Mode::Optional).sensitive(),
        attr("secret_list", Ty::StringList, Mode::Optional).sensitive(),
        attr("secret_any", Ty::Any, Mode::Optional).sensitive(),
        attr("labels", Ty::StringMap, Mode::Optional),
        attr("payload", Ty::Any, Mode::Optional),
        ID,
        ARN,
    ],
    blocks: &[BlockSpec {
        name: "rotation",
        max_items: Some(1),
        spec: &ROTATION,
    }],
};

pub const KIND: Kind = Kind {
    type_name: "aws_secretsmanager_secret_version",
    spec: &SPEC,
    plan,
    create,
};

fn plan(_obj: &mut Obj, _settings: &Settings) {}

fn create(obj: &mut Obj, settings: &Settings) -> String {
    let secret = get_str(obj, "secret_id").unwrap_or_default().to_owned();
    obj.insert(
        "arn".into(),
        string(settings.arn("secretsmanager", &format!("secret:{secret}"))),
    );
    format!("sv-{}", random_hex(32))
}
