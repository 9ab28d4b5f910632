//! `aws_db_instance`: an RDS database instance; `password` is sensitive as in the real
//! provider, which is what drift reports must mask.

use tf_provider::value::ValueAny;

use super::{ARN, ID, TAGS, TAGS_ALL, generated_name};
use crate::resource::Kind;
use crate::spec::{Mode, Obj, Spec, Ty, attr, default, get_str, is_null, string};
use crate::store::{Settings, random_hex};

const SPEC: Spec = Spec {
    attrs: &[
        attr("identifier", Ty::String, Mode::OptionalComputed).force_new(),
        attr("instance_class", Ty::String, Mode::Required),
        attr("engine", Ty::String, Mode::Required).force_new(),
        attr("engine_version", Ty::String, Mode::OptionalComputed),
        attr("allocated_storage", Ty::Number, Mode::OptionalComputed),
        attr("storage_type", Ty::String, Mode::OptionalComputed),
        attr("multi_az", Ty::Bool, Mode::OptionalComputed),
        attr("username", Ty::String, Mode::Optional).force_new(),
        attr("password", Ty::String, Mode::Optional).sensitive(),
        TAGS,
        TAGS_ALL,
        ID,
        ARN,
    ],
    blocks: &[],
};

pub const KIND: Kind = Kind {
    type_name: "aws_db_instance",
    spec: &SPEC,
    plan,
    create,
};

fn plan(obj: &mut Obj, _settings: &Settings) {
    default(obj, "allocated_storage", ValueAny::Number(20));
    default(obj, "storage_type", string("gp2"));
    default(obj, "multi_az", ValueAny::Bool(false));
}

/// The version RDS picks when none is asked for (the engine's default at the time).
fn default_engine_version(engine: &str) -> &'static str {
    match engine {
        "mysql" => "8.0.39",
        "postgres" => "16.4",
        "mariadb" => "10.11.9",
        _ => "1.0.0",
    }
}

fn create(obj: &mut Obj, settings: &Settings) -> String {
    if is_null(obj, "identifier") || obj.get("identifier") == Some(&ValueAny::Unknown) {
        obj.insert("identifier".into(), string(generated_name()));
    }
    if matches!(obj.get("engine_version"), Some(ValueAny::Unknown) | None) {
        let engine = get_str(obj, "engine").unwrap_or_default();
        obj.insert(
            "engine_version".into(),
            string(default_engine_version(engine)),
        );
    }
    let identifier = get_str(obj, "identifier").unwrap_or_default().to_owned();
    obj.insert(
        "arn".into(),
        string(settings.arn("rds", &format!("db:{identifier}"))),
    );
    format!("db-{}", random_hex(26).to_uppercase())
}
