//! Sessions that know the UDFs: in-process, a Ballista client, and Ballista's scheduler and
//! executor. Each turns off `enable_leaf_expression_pushdown`: on (DataFusion's default) it
//! moves every `get_field(w, …)` of a struct-returning UDF down to the scan, calling the UDF
//! once per field read, and Ballista's scheduler rejects the plan it makes.

use crate::udf;
use ballista::prelude::SessionContextExt;
use ballista_core::registry::BallistaFunctionRegistry;
use datafusion::common::Result;
use datafusion::execution::session_state::{SessionState, SessionStateBuilder};
use datafusion::prelude::{SessionConfig, SessionContext};
use std::sync::Arc;

/// The settings every session here shares.
pub fn tuned(mut config: SessionConfig) -> SessionConfig {
    config.options_mut().optimizer.enable_leaf_expression_pushdown = false;
    config
}

/// A client's config: `partitions` parallel partitions.
pub fn config(partitions: usize) -> SessionConfig {
    tuned(SessionConfig::new().with_target_partitions(partitions.max(1)))
}

/// A state with DataFusion's functions and the UDFs.
pub fn state(config: SessionConfig) -> Result<SessionState> {
    let mut state = SessionStateBuilder::new().with_default_features().with_config(config).build();
    udf::register(&mut state)?;
    Ok(state)
}

/// A context that runs in this process.
pub fn local(partitions: usize) -> Result<SessionContext> {
    Ok(SessionContext::new_with_state(state(config(partitions))?))
}

/// A context whose queries run on the Ballista cluster at `url` (`df://host:port`).
/// `remote_with_state` rebuilds the state's function list, so the UDFs are registered again.
pub async fn remote(url: &str, partitions: usize) -> Result<SessionContext> {
    let ctx = SessionContext::remote_with_state(url, state(config(partitions))?).await?;
    for f in udf::udfs() {
        ctx.register_udf(f.as_ref().clone());
    }
    Ok(ctx)
}

/// The scheduler's session builder: Ballista's own, tuned, with the UDFs (it decodes the
/// clients' logical plans, which name them).
pub fn scheduler_session(config: SessionConfig) -> Result<SessionState> {
    let mut state = ballista_core::utils::default_session_builder(tuned(config))?;
    udf::register(&mut state)?;
    Ok(state)
}

/// The executor's config: Ballista's default, tuned.
pub fn executor_config() -> SessionConfig {
    tuned(ballista_core::utils::default_config_producer())
}

/// The executor's functions: DataFusion's and the UDFs (it decodes physical plans).
pub fn executor_functions() -> Arc<BallistaFunctionRegistry> {
    let mut registry = BallistaFunctionRegistry::default();
    for f in udf::udfs() {
        registry.scalar_functions.insert(f.name().to_owned(), f);
    }
    Arc::new(registry)
}
