//! `--config.file`: the TOML file naming several Porla instances, one `[instances.<name>]` table
//! each (docs/deployment.md). A table is read into an [`InstanceSpec`], checked afterwards like
//! the `--porla.*` flags.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};

use super::{InstanceSpec, PerTorrentFlag};
use crate::defaults::{byte_size, duration};
use crate::snapshot::PerTorrent;
use clap::ValueEnum;

/// One size value: bytes, or a text with a unit.
#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
enum SizeSpec {
    Bytes(u64),
    Text(String),
}

/// One `[instances.<name>]` table, as written.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    url: String,
    token_file: Option<PathBuf>,
    username: Option<String>,
    password_file: Option<PathBuf>,
    timeout: Option<String>,
    max_response_size: Option<SizeSpec>,
    tls_ca_file: Option<PathBuf>,
    tls_cert_file: Option<PathBuf>,
    tls_key_file: Option<PathBuf>,
    tls_server_name: Option<String>,
    tls_insecure_skip_verify: Option<bool>,
    classes_file: Option<PathBuf>,
    /// A boolean, or the flag's spelling (`"true"`, `"attention"`, `"false"`).
    per_torrent: Option<toml::Value>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct InstancesFile {
    instances: BTreeMap<String, Table>,
}

/// Reads the file: its instances by name (sorted), with their durations and sizes parsed. The
/// rest of the checks is [`InstanceSpec::resolve`]'s.
pub(super) fn read(path: &Path) -> anyhow::Result<Vec<(String, InstanceSpec)>> {
    let flag = "--config.file";
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{flag}: cannot read {}", path.display()))?;
    let file: InstancesFile = toml::from_str(&text).map_err(|e| {
        anyhow!(
            "{flag}: {}: {}",
            path.display(),
            e.message().replace('\n', " ")
        )
    })?;
    if file.instances.is_empty() {
        bail!("{flag}: {} names no [instances.<name>]", path.display());
    }
    let mut out = Vec::new();
    for (name, table) in file.instances {
        let what = format!("{flag}: instance {name:?}");
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            bail!("{what}: names may use letters, digits, - and _ only");
        }
        let timeout = table
            .timeout
            .map(|t| duration(&t).map_err(|e| anyhow!("{what}: timeout: {e}")))
            .transpose()?;
        let max_response_size = match table.max_response_size {
            Some(SizeSpec::Bytes(n)) if n > 0 => Some(n),
            Some(SizeSpec::Bytes(_)) => bail!("{what}: max_response_size: must be more than 0"),
            Some(SizeSpec::Text(t)) => {
                Some(byte_size(&t).map_err(|e| anyhow!("{what}: max_response_size: {e}"))?)
            }
            None => None,
        };
        let per_torrent = table
            .per_torrent
            .map(|v| {
                let text = match v {
                    toml::Value::Boolean(b) => b.to_string(),
                    toml::Value::String(s) => s,
                    _ => String::new(),
                };
                PerTorrentFlag::from_str(&text, false)
                    .map(PerTorrent::from)
                    .map_err(|_| {
                        anyhow!("{what}: per_torrent: must be true, false or \"attention\"")
                    })
            })
            .transpose()?;
        let spec = InstanceSpec {
            url: table.url,
            token_file: table.token_file,
            token: None,
            username: table.username,
            password_file: table.password_file,
            password: None,
            timeout,
            max_response_size,
            tls_ca_file: table.tls_ca_file,
            tls_cert_file: table.tls_cert_file,
            tls_key_file: table.tls_key_file,
            tls_server_name: table.tls_server_name,
            tls_insecure_skip_verify: table.tls_insecure_skip_verify,
            classes_file: table.classes_file,
            per_torrent,
        };
        out.push((name, spec));
    }
    Ok(out)
}
