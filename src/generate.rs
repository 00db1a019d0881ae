//! `porla-exporter generate man` and `generate completions SHELL`: the man page and the shell
//! completions, printed from the CLI definition ([`crate::config::Cli`]) so they can never list a
//! flag the binary lacks or miss one it has. The Debian package build (`scripts/package`) calls
//! them; the subcommand is hidden from `--help`.

use std::io::{self, Write};

use clap::{Args, Subcommand};
use clap_complete::Shell;

/// The version `--version` and the man page show: the crate version, and the git commit the
/// binary was built from when build.rs knew it (`0.1.0 (revision 63386ef…)`).
pub const VERSION: &str = env!("PORLA_EXPORTER_VERSION_LINE");

/// The arguments of the hidden `generate` subcommand.
#[derive(Debug, Args)]
pub struct Generate {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, Subcommand)]
pub enum What {
    /// Print the man page (roff, section 1) to stdout.
    Man,
    /// Print the completion script for SHELL to stdout.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// Writes what `generate` asks for, for the command line `cmd` (`Cli::command()`).
pub fn run(what: &What, cmd: clap::Command, out: &mut impl Write) -> io::Result<()> {
    match what {
        What::Man => man(cmd, out),
        What::Completions { shell } => {
            completions(cmd, *shell, out);
            Ok(())
        }
    }
}

/// The man page of `cmd`, section 1: clap_mangen's name, synopsis, description, options (with
/// their environment variables) and version, plus what the package installs where. Subcommands
/// are listed here with their one-line help (clap_mangen would point at man pages of their own,
/// which do not exist).
pub fn man(cmd: clap::Command, out: &mut impl Write) -> io::Result<()> {
    use clap_mangen::roff::{bold, roman, Roff};
    let commands: Vec<(String, String)> = cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .map(|c| {
            let about = c.get_about().map(|a| a.to_string()).unwrap_or_default();
            (c.get_name().to_owned(), about)
        })
        .collect();
    let man = clap_mangen::Man::new(cmd)
        .manual("porla-exporter")
        .source(concat!("porla-exporter ", env!("CARGO_PKG_VERSION")));
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for (name, about) in commands {
        roff.control("TP", []);
        roff.text([bold(format!("porla-exporter {name}"))]);
        roff.text([roman(about)]);
    }
    roff.control("SH", ["FILES"]);
    for (path, what) in FILES {
        roff.control("TP", []);
        roff.text([bold(*path)]);
        roff.text([roman(*what)]);
    }
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "docs/deployment.md of the source (the configuration reference, the --config.file \
         for several Porla daemons, the web config, troubleshooting): ",
    )]);
    roff.text([roman(concat!(
        env!("CARGO_PKG_REPOSITORY"),
        "/blob/main/docs/deployment.md"
    ))]);
    roff.to_writer(out)?;
    man.render_version_section(out)
}

/// Files of an installed package, for the man page's FILES section.
const FILES: &[(&str, &str)] = &[
    (
        "/etc/default/porla-exporter",
        "Settings of porla-exporter.service: the environment variables above, and extra flags in PORLA_EXPORTER_ARGS.",
    ),
    (
        "/etc/porla-exporter/porla-token",
        "The Porla token (root only, mode 0600); the service reads it as a systemd credential.",
    ),
    (
        "/usr/share/porla-exporter/",
        "Grafana dashboards, Prometheus rules, Grafana alerting files and the jsonnet monitoring mixin.",
    ),
    (
        "/usr/share/doc/porla-exporter/README.Debian",
        "How to configure and enable the service.",
    ),
];

/// The completion script of `cmd` for `shell`, without the hidden subcommands (clap_complete
/// offers them, `hide` or not).
pub fn completions(cmd: clap::Command, shell: Shell, out: &mut impl Write) {
    let mut cmd = without_hidden_subcommands(cmd);
    let name = cmd.get_name().to_owned();
    clap_complete::generate(shell, &mut cmd, name, out);
}

/// `cmd` rebuilt with its arguments and its visible subcommands only. clap has no way to remove
/// a subcommand, and its `help` subcommand, made when the command is built, lists them all.
fn without_hidden_subcommands(cmd: clap::Command) -> clap::Command {
    // Without clap's `string` feature a name is a `&'static str`: the two short strings live
    // as long as the process that prints the script and ends.
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let mut out = clap::Command::new(leak(cmd.get_name()));
    if let Some(v) = cmd.get_version() {
        out = out.version(leak(v));
    }
    if let Some(a) = cmd.get_about() {
        out = out.about(a.clone());
    }
    for arg in cmd.get_arguments() {
        out = out.arg(arg.clone());
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        out = out.subcommand(sub.clone());
    }
    out
}
