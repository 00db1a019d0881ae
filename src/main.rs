//! The porla-exporter binary: flags → logging → [`porla_exporter::app::run`].

use std::process::ExitCode;

use clap::Parser;
use porla_exporter::app::Reloads;
use porla_exporter::config::{
    parse_listen_address, Cli, Command, Config, Instances, LogFormat, LogLevel,
};
use tokio_util::sync::CancellationToken;

fn init_logging(level: LogLevel, format: LogFormat) {
    use tracing_subscriber::prelude::*;
    let level = match level {
        LogLevel::Debug => tracing::Level::DEBUG,
        LogLevel::Info => tracing::Level::INFO,
        LogLevel::Warn => tracing::Level::WARN,
        LogLevel::Error => tracing::Level::ERROR,
    };
    // Our own events at the chosen level; dependencies (hyper, reqwest, rustls) only warn+.
    let filter = tracing_subscriber::filter::Targets::new()
        .with_default(tracing::Level::WARN.min(level))
        .with_target("porla_exporter", level);
    let registry = tracing_subscriber::registry().with(filter);
    match format {
        LogFormat::Logfmt => registry
            .with(
                tracing_logfmt::builder()
                    .layer()
                    .with_writer(std::io::stderr),
            )
            .init(),
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_writer(std::io::stderr),
            )
            .init(),
    }
}

async fn shutdown_signal(token: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("installing the SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("shutting down");
    token.cancel();
}

/// SIGHUP: read the tracker classes files again (the logic is the library's,
/// [`porla_exporter::app::reload`]). The handler is installed before the exporter logs that it
/// starts, so a SIGHUP never ends the process (its default action) once it runs.
#[cfg(unix)]
fn reload_signal(reloads: Reloads) -> std::io::Result<impl std::future::Future<Output = ()>> {
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    Ok(async move {
        while hup.recv().await.is_some() {
            tracing::info!("SIGHUP: reading the tracker classes files again");
            reloads.request();
        }
    })
}

/// `porla-exporter healthcheck`: GET /-/healthy on the configured port, through TLS when the
/// web config turns it on ([`porla_exporter::healthcheck`]).
fn healthcheck(listen: &str, web_config: Option<&std::path::Path>) -> ExitCode {
    let Ok(addr) = parse_listen_address(listen) else {
        eprintln!("healthcheck: bad --web.listen-address {listen:?}");
        return ExitCode::FAILURE;
    };
    match porla_exporter::healthcheck::check(addr, web_config) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("healthcheck: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `porla-exporter generate man|completions SHELL`: the man page or a completion script on
/// stdout. A reader that stops early (`| head`) ends it quietly: a closed pipe is no failure.
fn generate(what: &porla_exporter::generate::What) -> ExitCode {
    use clap::CommandFactory;
    use std::io::Write;
    let mut text = Vec::new();
    let written = porla_exporter::generate::run(what, Cli::command(), &mut text).and_then(|()| {
        let mut out = std::io::stdout().lock();
        out.write_all(&text)?;
        out.flush()
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("porla-exporter: generate: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `porla-exporter classify [FILE]...`: tracker messages, one a line, with their class and the
/// rule that decided. The classes file of `--collector.tracker.classes-file` is read and checked
/// as at start: a bad one is the same one line and exit code 2.
fn classify(classes_file: Option<&std::path::Path>, files: &[std::path::PathBuf]) -> ExitCode {
    use porla_exporter::classify::{classify_lines, Classifier, UserRules};
    let classifier = match classes_file {
        None => Classifier::builtin(),
        Some(f) => match UserRules::load(f) {
            Ok(rules) => Classifier::with_rules(rules),
            Err(e) => {
                eprintln!("porla-exporter: --collector.tracker.classes-file: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let stdin = [std::path::PathBuf::from("-")];
    let files = if files.is_empty() { &stdin[..] } else { files };
    for f in files {
        let done = if f.as_os_str() == "-" {
            classify_lines(&classifier, std::io::stdin().lock(), &mut out)
        } else {
            match std::fs::File::open(f) {
                Ok(file) => classify_lines(&classifier, std::io::BufReader::new(file), &mut out),
                Err(e) => {
                    let _ = std::io::Write::flush(&mut out);
                    eprintln!("porla-exporter: classify: {}: {e}", f.display());
                    return ExitCode::FAILURE;
                }
            }
        };
        if let Err(e) = done {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("porla-exporter: classify: {}: {e}", f.display());
            return ExitCode::FAILURE;
        }
    }
    match std::io::Write::flush(&mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("porla-exporter: classify: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One warn line per Porla instance without any credential: fine for a Porla started with
/// auth disabled, otherwise every poll will fail with HTTP 401.
fn warn_if_no_credential(config: &Config) {
    use porla_exporter::porla::{display_url, Auth};
    match &config.instances {
        Instances::Single(c) => {
            if matches!(c.auth, Auth::None) {
                tracing::warn!(
                    porla = %display_url(&c.url),
                    "no Porla credential is set (--porla.token-file, --porla.token or --porla.username): fine if Porla runs with auth disabled, else every poll fails with HTTP 401"
                );
            }
        }
        Instances::Named(named) => {
            for (name, c) in named {
                if matches!(c.auth, Auth::None) {
                    tracing::warn!(
                        target_name = name.as_str(),
                        porla = %display_url(&c.url),
                        "no Porla credential is set for this instance (token_file or username in --config.file): fine if Porla runs with auth disabled, else every poll fails with HTTP 401"
                    );
                }
            }
        }
    }
}

/// Tunes glibc's malloc for the exporter's pattern of memory use, each setting skipped when the
/// operator set it through the environment (`MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`, or
/// `GLIBC_TUNABLES`):
///
/// - **Arenas capped at [`MALLOC_ARENAS`].** glibc gives threads that allocate at the same time
///   arenas of their own (up to 8 per core), and memory freed in one arena is only reused by
///   allocations in that arena. The poller folds answers on the runtime's threads while the
///   view is assembled, compressed and scraped on others, so each arena grows to a poll's
///   worth: at 10,000 torrents with full polls back to back, peak RSS was 42–44 MiB with the
///   default arenas, 35–37 MiB with two, 33–34 MiB with one (docs/benchmarks.md).
/// - **A fixed mmap threshold, [`MMAP_THRESHOLD`].** Each poll builds a few large tables (the
///   torrents by key, the view's rows, the compressed exposition), each of one or more MiB at
///   10,000 torrents, and frees the previous poll's. glibc's threshold is dynamic by default:
///   the first time such an mmapped block is freed, the threshold rises to its size, so every
///   later large table comes from the arenas, where it fragments them and is never given back
///   (mallopt(3), `M_MMAP_THRESHOLD`: setting it disables the adjustment). Kept fixed, large
///   tables stay mmapped and return to the system as soon as they are freed; the peak RSS this
///   saves is measured in docs/benchmarks.md.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    let tunables = std::env::var("GLIBC_TUNABLES").unwrap_or_default();
    let set = |var: &str, tunable: &str| {
        std::env::var_os(var).is_some() || tunables.contains(&format!("glibc.malloc.{tunable}="))
    };
    // SAFETY: mallopt only sets an allocator parameter; it is called before the runtime starts
    // any thread, and glibc documents both parameters as settable at any time.
    unsafe {
        if !set("MALLOC_ARENA_MAX", "arena_max") {
            libc::mallopt(libc::M_ARENA_MAX, MALLOC_ARENAS);
        }
        if !set("MALLOC_MMAP_THRESHOLD_", "mmap_threshold") {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

/// glibc malloc arenas: two, for two busy threads at a time (poller and scrapes).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MALLOC_ARENAS: libc::c_int = 2;

/// Blocks of this size and larger are mmapped: glibc's initial default, kept from rising.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 128 * 1024;

fn main() -> ExitCode {
    tune_malloc();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One readable line naming the problem, not clap's usage block.
            let msg = e.to_string();
            let line = msg.lines().next().unwrap_or("bad command line");
            eprintln!("porla-exporter: {}", line.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    if let Some(Command::Healthcheck) = cli.command {
        return healthcheck(&cli.web_listen_address, cli.web_config_file.as_deref());
    }
    if let Some(Command::Generate(g)) = &cli.command {
        return generate(&g.what);
    }
    if let Some(Command::Classify(c)) = &cli.command {
        return classify(cli.classes_file.as_deref(), &c.files);
    }
    init_logging(cli.log_level, cli.log_format);
    let config = match cli.into_config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("porla-exporter: {e:#}");
            return ExitCode::from(2);
        }
    };
    warn_if_no_credential(&config);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("porla-exporter: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.block_on(async {
        let listener = match porla_exporter::server::bind(config.listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("porla-exporter: {e:#}");
                return ExitCode::from(2);
            }
        };
        let token = CancellationToken::new();
        tokio::spawn(shutdown_signal(token.clone()));
        let reloads = Reloads::default();
        #[cfg(unix)]
        match reload_signal(reloads.clone()) {
            Ok(task) => {
                tokio::spawn(task);
            }
            Err(e) => tracing::warn!(error = %e, "cannot install the SIGHUP handler: no reload of the classes files"),
        }
        match porla_exporter::app::run(config, listener, token, reloads).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("porla-exporter: {e:#}");
                ExitCode::FAILURE
            }
        }
    })
}
