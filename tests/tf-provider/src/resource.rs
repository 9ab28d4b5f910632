//! One generic resource implementation; each AWS type only supplies its [`Kind`]
//! (attributes, plan-time defaults, values assigned on create).

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{ValueAny, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::spec::{Obj, Spec, clear_unknown, get_str, has_unknown, is_null};
use crate::store::{Settings, SharedSettings, hang_on_read};

/// What makes one resource type different from another.
pub struct Kind {
    pub type_name: &'static str,
    pub spec: &'static Spec,
    /// Fills values known at plan time (defaults of optional+computed attributes). Runs on
    /// create and update plans; must only fill attributes that are still null.
    pub plan: fn(&mut Obj, &Settings),
    /// Fills what the cloud assigns on create (id, ARN, generated names) and returns the id.
    pub create: fn(&mut Obj, &Settings) -> String,
}

pub struct FileResource {
    kind: &'static Kind,
    settings: SharedSettings,
}

impl FileResource {
    pub fn new(kind: &'static Kind, settings: SharedSettings) -> Self {
        Self { kind, settings }
    }

    fn settings(&self, diags: &mut Diagnostics) -> Option<Settings> {
        let settings = self.settings.read().ok().and_then(|s| s.clone());
        if settings.is_none() {
            diags.root_error_short("the aws test provider is not configured yet");
        }
        settings
    }

    /// The object as terraform handed it over, shaped like the schema.
    fn obj(&self, value: &ValueAny) -> Obj {
        self.kind.spec.normalize(value)
    }

    /// The planned object: defaults, `tags_all`, and unknowns for what only apply knows.
    fn plan(&self, obj: &mut Obj, settings: &Settings, creating: bool) {
        (self.kind.plan)(obj, settings);
        if self.kind.spec.attr("tags_all").is_some() {
            let tags = obj.get("tags").cloned().unwrap_or(ValueAny::Null);
            let tags_all = if has_unknown(&tags) {
                ValueAny::Unknown
            } else {
                let mut all = settings.default_tags.clone();
                if let ValueAny::Map(tags) = tags {
                    all.extend(tags);
                }
                ValueAny::Map(all)
            };
            obj.insert("tags_all".into(), tags_all);
        }
        if creating {
            for a in self.kind.spec.attrs.iter().filter(|a| a.is_computed()) {
                if is_null(obj, a.name) {
                    obj.insert(a.name.into(), ValueAny::Unknown);
                }
            }
        }
    }

    fn save(&self, diags: &mut Diagnostics, settings: &Settings, id: &str, obj: &Obj) {
        if let Err(e) = settings.save(self.kind.type_name, id, obj) {
            diags.root_error(
                format!("cannot write {} {id}", self.kind.type_name),
                format!("{e} (in {})", settings.cloud_dir.display()),
            );
        }
    }
}

#[async_trait]
impl Resource for FileResource {
    type State<'a> = ValueAny;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(self.kind.spec.schema(self.kind.type_name))
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Some(settings) = self.settings(diags) else {
            return Some((state, private_state));
        };
        let Some(id) = get_str(&self.obj(&state), "id").map(str::to_owned) else {
            diags.root_error_short(format!("{} in state has no id", self.kind.type_name));
            return Some((state, private_state));
        };
        if hang_on_read(&id) {
            // Terraform cancels the request only by going away; main's orphan watchdog
            // then ends the process.
            std::future::pending::<()>().await;
        }
        match settings.load(self.kind.type_name, &id) {
            Ok(Some(found)) => {
                let mut obj = self.obj(&found);
                // The file name is the identity; a hand-edited `id` field must not move it.
                obj.insert("id".into(), ValueAny::String(id));
                Some((ValueAny::Map(obj), private_state))
            }
            Ok(None) => None,
            Err(e) => {
                diags.root_error(
                    format!("cannot read {} {id}", self.kind.type_name),
                    e.to_string(),
                );
                Some((state, private_state))
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let settings = self.settings(diags)?;
        let mut obj = self.obj(&proposed_state);
        self.plan(&mut obj, &settings, true);
        Some((ValueAny::Map(obj), ValueEmpty::Null))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        proposed_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let settings = self.settings(diags)?;
        let prior = self.obj(&prior_state);
        let mut obj = self.obj(&proposed_state);
        self.plan(&mut obj, &settings, false);
        let replace = self
            .kind
            .spec
            .attrs
            .iter()
            .filter(|a| a.force_new && prior.get(a.name) != obj.get(a.name))
            .map(|a| AttributePath::new(a.name))
            .collect();
        Some((ValueAny::Map(obj), prior_private_state, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Some(prior_private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        planned_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let settings = self.settings(diags)?;
        let mut obj = self.obj(&planned_state);
        let id = (self.kind.create)(&mut obj, &settings);
        obj.insert("id".into(), ValueAny::String(id.clone()));
        let mut value = ValueAny::Map(obj);
        clear_unknown(&mut value);
        let ValueAny::Map(obj) = value else {
            unreachable!("a map stays a map")
        };
        self.save(diags, &settings, &id, &obj);
        Some((ValueAny::Map(obj), planned_private_state))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        planned_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let settings = self.settings(diags)?;
        let prior = self.obj(&prior_state);
        let mut value = ValueAny::Map(self.obj(&planned_state));
        clear_unknown(&mut value);
        let ValueAny::Map(obj) = value else {
            unreachable!("a map stays a map")
        };
        let Some(id) = get_str(&prior, "id") else {
            diags.root_error_short(format!("{} in state has no id", self.kind.type_name));
            return None;
        };
        self.save(diags, &settings, id, &obj);
        Some((ValueAny::Map(obj), planned_private_state))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let settings = self.settings(diags)?;
        let prior = self.obj(&prior_state);
        let Some(id) = get_str(&prior, "id") else {
            return Some(());
        };
        if let Err(e) = settings.remove(self.kind.type_name, id) {
            diags.root_error(
                format!("cannot delete {} {id}", self.kind.type_name),
                e.to_string(),
            );
            return None;
        }
        Some(())
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let settings = self.settings(diags)?;
        match settings.load(self.kind.type_name, &id) {
            Ok(Some(found)) => {
                let mut obj = self.obj(&found);
                obj.insert("id".into(), ValueAny::String(id));
                Some((ValueAny::Map(obj), ValueEmpty::Null))
            }
            Ok(None) => {
                diags.root_error_short(format!("no {} with id {id}", self.kind.type_name));
                None
            }
            Err(e) => {
                diags.root_error(
                    format!("cannot read {} {id}", self.kind.type_name),
                    e.to_string(),
                );
                None
            }
        }
    }
}
