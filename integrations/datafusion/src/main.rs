//! `aftersale-datafusion`: the what-if report and the engine's answers over a Parquet history,
//! in-process or on Ballista, and a Ballista scheduler and executor with the UDFs compiled in.

use aftersale_datafusion::{report, session, udf};
use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use datafusion::arrow::array::AsArray;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

const HELP: &str = "usage:
  aftersale-datafusion report --baseline A.json --candidate B.json --history h.parquet [--scheduler df://127.0.0.1:50050] [--partitions N] [--explain]
  aftersale-datafusion decide --policy P.json --history h.parquet [--limit N] [--scheduler df://…]
  aftersale-datafusion scheduler --port P
  aftersale-datafusion executor --port P --grpc-port G --scheduler-port S [--concurrent-tasks N]";

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Deep plans recurse: Ballista's own binaries give their threads 32 MiB stacks too.
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(32 << 20).build();
    let result = match runtime {
        Ok(runtime) => runtime.block_on(run(&args)),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("aftersale-datafusion: {e}");
            ExitCode::from(2)
        }
    }
}

/// Exit 0, or 1 when the report found malformed records (as `aftersale simulate`), 2 for errors.
async fn run(args: &[String]) -> Result<ExitCode, Failure> {
    let done = match args.first().map(String::as_str) {
        Some("report") => return report_command(args).await,
        Some("decide") => decide_command(args).await,
        Some("scheduler") => scheduler(args).await,
        Some("executor") => executor(args).await,
        _ => Err(HELP.into()),
    };
    done.map(|()| ExitCode::SUCCESS)
}

/// The value after `name`, if given.
fn option<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|at| args.get(at + 1)).map(String::as_str)
}

fn required<'a>(args: &'a [String], name: &str) -> Result<&'a str, Failure> {
    option(args, name).ok_or_else(|| format!("{name} is required\n{HELP}").into())
}

fn number<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, Failure> {
    match option(args, name) {
        Some(text) => text.parse().map_err(|_| format!("{name}: not a number: {text}").into()),
        None => Ok(default),
    }
}

fn read(path: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}").into())
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// A context, in-process or on the Ballista cluster of `--scheduler`, with the history
/// registered as the table `history`.
async fn context(args: &[String]) -> Result<SessionContext, Failure> {
    let partitions = number(args, "--partitions", cores())?;
    let ctx = match option(args, "--scheduler") {
        Some(url) => session::remote(url, partitions).await?,
        None => session::local(partitions)?,
    };
    let history = required(args, "--history")?;
    // Executors open the file themselves: an absolute path.
    let path = std::fs::canonicalize(history).map_err(|e| format!("{history}: {e}"))?;
    // Any file name: a history need not end in `.parquet`.
    let options = ParquetReadOptions { file_extension: "", ..ParquetReadOptions::default() };
    ctx.register_parquet("history", path.to_string_lossy().as_ref(), options).await?;
    Ok(ctx)
}

async fn report_command(args: &[String]) -> Result<ExitCode, Failure> {
    let baseline = read(required(args, "--baseline")?)?;
    let candidate = read(required(args, "--candidate")?)?;
    // A policy that does not compile is said before any work, as simulate says it.
    let currency = udf::compiled(&baseline).map_err(|e| format!("baseline {e}"))?.currency.as_str().to_owned();
    udf::compiled(&candidate).map_err(|e| format!("candidate {e}"))?;
    let ctx = context(args).await?;
    if args.iter().any(|a| a == "--explain") {
        let sql = format!("EXPLAIN {}", report::sql("history", &baseline, &candidate));
        ctx.sql(&sql).await?.show().await?;
        return Ok(ExitCode::SUCCESS);
    }
    let started = Instant::now();
    let report = report::run(&ctx, "history", &baseline, &candidate, &currency).await?;
    let elapsed = started.elapsed();
    println!("{}", report.to_json());
    let ms = elapsed.as_millis().max(1);
    let rate = u128::from(report.records) * 1000 / ms;
    eprintln!("records: {}, elapsed: {ms} ms, records/s: {rate}", report.records);
    Ok(if report.malformed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

async fn decide_command(args: &[String]) -> Result<(), Failure> {
    let policy = read(required(args, "--policy")?)?;
    udf::compiled(&policy)?;
    let limit: u64 = number(args, "--limit", 200)?;
    let ctx = context(args).await?;
    let sql = format!(
        "SELECT id, aftersale_decide({}, input) AS answer FROM history WHERE input IS NOT NULL ORDER BY line LIMIT {limit}",
        report::literal(&policy)
    );
    for batch in ctx.sql(&sql).await?.collect().await? {
        let (id, answer) = (cast(batch.column(0), &DataType::Utf8)?, cast(batch.column(1), &DataType::Utf8)?);
        for (id, answer) in id.as_string::<i32>().iter().zip(answer.as_string::<i32>().iter()) {
            println!("{}\t{}", id.unwrap_or_default(), answer.unwrap_or_default());
        }
    }
    Ok(())
}

/// A Ballista scheduler on 127.0.0.1 whose sessions know the UDFs.
async fn scheduler(args: &[String]) -> Result<(), Failure> {
    let port: u16 = number(args, "--port", 50050)?;
    let config = SchedulerConfig::default()
        .with_hostname("127.0.0.1")
        .with_port(port)
        .with_override_config_producer(Arc::new(session::executor_config))
        .with_override_session_builder(Arc::new(session::scheduler_session));
    let cluster = BallistaCluster::new_from_config(&config).await?;
    let address = format!("127.0.0.1:{port}").parse()?;
    start_server(cluster, address, Arc::new(config)).await?;
    Ok(())
}

/// A Ballista executor on 127.0.0.1 whose function registry has the UDFs.
async fn executor(args: &[String]) -> Result<(), Failure> {
    let config = ExecutorProcessConfig {
        bind_host: "127.0.0.1".into(),
        external_host: Some("127.0.0.1".into()),
        port: number(args, "--port", 50051)?,
        grpc_port: number(args, "--grpc-port", 50052)?,
        scheduler_host: "127.0.0.1".into(),
        scheduler_port: number(args, "--scheduler-port", 50050)?,
        vcores: number(args, "--concurrent-tasks", cores())?,
        override_function_registry: Some(session::executor_functions()),
        override_config_producer: Some(Arc::new(session::executor_config)),
        ..ExecutorProcessConfig::default()
    };
    start_executor_process(Arc::new(config)).await?;
    Ok(())
}
