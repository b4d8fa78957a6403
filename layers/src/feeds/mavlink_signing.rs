//! MAVLink 2 message signing, as drones and ground stations configure it
//! (MAVProxy's `signing setup`, QGroundControl): a 32-byte secret key per
//! drone, each signed frame carrying a 48-bit timestamp and a SHA-256 based
//! signature. The keys come from `drones.toml`:
//!
//! ```toml
//! require_signing = false      # true: a drone not listed here is refused
//!
//! [[drone]]
//! system_id = 1
//! passphrase = "…"             # the key is SHA-256 of it (MAVProxy, QGC)
//!
//! [[drone]]
//! system_id = 2
//! key = "64 hex digits"        # or the key itself
//! ```
//!
//! A drone with a key is heard only through frames signed with it, each
//! newer than the last (a replayed frame is refused); its unsigned frames,
//! MAVLink 1 frames and frames signed with another key are refused and
//! counted. Fail closed: a file that cannot be read refuses every drone; an
//! entry that does not read refuses its drone.

use std::collections::HashMap;
use std::path::Path;

use mavlink::{MAVLinkMessageRaw, SigningConfig, SigningData};
use sha2::Digest as _;

/// Why a frame was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The keys file could not be read: nothing is trusted.
    #[error("MAVLink from system {system_id} refused: {why}")]
    KeysUnreadable {
        /// Sender.
        system_id: u32,
        /// What is wrong with the file.
        why: String,
    },
    /// The drone's entry did not read.
    #[error("MAVLink from system {system_id} refused: its signing entry is unusable ({why})")]
    EntryUnusable {
        /// Sender.
        system_id: u32,
        /// What is wrong with the entry.
        why: String,
    },
    /// Signing is required and the drone is not listed.
    #[error("MAVLink from system {system_id} refused: signing is required and it has no key")]
    Unlisted {
        /// Sender.
        system_id: u32,
    },
    /// A signing drone sent an unsigned (or MAVLink 1) frame.
    #[error("unsigned MAVLink frame from system {system_id}, which signs: refused")]
    Unsigned {
        /// Sender.
        system_id: u32,
    },
    /// The signature does not verify with the drone's key, or its
    /// timestamp is not newer than the last one (a replay).
    #[error("MAVLink frame from system {system_id}: bad signature or replayed timestamp: refused")]
    BadSignature {
        /// Sender.
        system_id: u32,
    },
}

/// The signing keys of the fleet, and what could not be read of them.
#[derive(Default)]
pub struct DroneKeys {
    signed: HashMap<u32, SigningData>,
    unusable: HashMap<u32, String>,
    unreadable: Option<String>,
    require_signing: bool,
}

impl std::fmt::Debug for DroneKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut signed: Vec<_> = self.signed.keys().collect();
        signed.sort();
        f.debug_struct("DroneKeys")
            .field("signed", &signed)
            .field("unusable", &self.unusable)
            .field("unreadable", &self.unreadable)
            .field("require_signing", &self.require_signing)
            .finish()
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KeysFile {
    #[serde(default)]
    require_signing: bool,
    #[serde(default)]
    drone: Vec<toml::Value>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    system_id: u32,
    passphrase: Option<String>,
    key: Option<String>,
}

impl DroneKeys {
    /// Reads `path`; every problem is returned as text naming the file (and
    /// the entry). An unreadable file gives keys that refuse everything.
    pub fn load(path: &Path) -> (Self, Vec<String>) {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, &path.display().to_string()),
            Err(e) => {
                let why = format!("{}: {e}", path.display());
                (
                    Self {
                        unreadable: Some(why.clone()),
                        ..Self::default()
                    },
                    vec![why],
                )
            }
        }
    }

    /// Reads `drones.toml` text (`file` names it in problems).
    pub fn parse(text: &str, file: &str) -> (Self, Vec<String>) {
        let parsed: KeysFile = match toml::from_str(text) {
            Ok(p) => p,
            Err(e) => {
                let why = format!("{file}: {}", e.message().trim());
                return (
                    Self {
                        unreadable: Some(why.clone()),
                        ..Self::default()
                    },
                    vec![why],
                );
            }
        };
        let mut keys = Self {
            require_signing: parsed.require_signing,
            ..Self::default()
        };
        let mut problems = Vec::new();
        for (index, value) in parsed.drone.into_iter().enumerate() {
            let system_id = value
                .get("system_id")
                .and_then(toml::Value::as_integer)
                .and_then(|i| u32::try_from(i).ok());
            match entry_key(value) {
                Ok((id, key)) if keys.signed.contains_key(&id) => {
                    let why = format!("{file}: drone #{index}: system {id} is listed twice");
                    keys.signed.remove(&id);
                    keys.unusable.insert(id, why.clone());
                    problems.push(why);
                    let _ = key;
                }
                Ok((id, key)) => {
                    keys.signed.insert(
                        id,
                        SigningData::from_config(SigningConfig::new(key, 0, false, false)),
                    );
                }
                Err(e) => {
                    let why = format!("{file}: drone #{index}: {e}");
                    problems.push(why.clone());
                    if let Some(id) = system_id {
                        keys.signed.remove(&id);
                        keys.unusable.insert(id, why);
                    } else {
                        // Which drone it was for is unknown: trust none.
                        keys.unreadable = Some(why);
                    }
                }
            }
        }
        (keys, problems)
    }

    /// Systems that sign, in order.
    pub fn signing_systems(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = self.signed.keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// Whether `frame` may be heard; checks (and records) its signature's
    /// timestamp for a signing drone.
    pub fn check(&self, frame: &MAVLinkMessageRaw) -> Result<(), Refusal> {
        let system_id = frame.system_id();
        if let Some(why) = &self.unreadable {
            return Err(Refusal::KeysUnreadable {
                system_id,
                why: why.clone(),
            });
        }
        if let Some(why) = self.unusable.get(&system_id) {
            return Err(Refusal::EntryUnusable {
                system_id,
                why: why.clone(),
            });
        }
        let Some(signing) = self.signed.get(&system_id) else {
            return if self.require_signing {
                Err(Refusal::Unlisted { system_id })
            } else {
                Ok(())
            };
        };
        let MAVLinkMessageRaw::V2(v2) = frame else {
            return Err(Refusal::Unsigned { system_id });
        };
        if v2.incompatibility_flags() & mavlink::consts::v2::IFLAG_SIGNED == 0 {
            return Err(Refusal::Unsigned { system_id });
        }
        if signing.verify_signature(v2) {
            Ok(())
        } else {
            Err(Refusal::BadSignature { system_id })
        }
    }
}

/// The system id and 32-byte key of one `[[drone]]` entry.
fn entry_key(value: toml::Value) -> Result<(u32, [u8; 32]), String> {
    let entry: Entry = value
        .try_into()
        .map_err(|e| e.message().trim().to_owned())?;
    let key = match (entry.passphrase, entry.key) {
        (Some(p), None) if !p.is_empty() => sha2::Sha256::digest(p.as_bytes()).into(),
        (None, Some(hex)) => parse_hex_key(&hex)?,
        (Some(_), Some(_)) => return Err("give `passphrase` or `key`, not both".into()),
        _ => return Err("no `passphrase` or `key`".into()),
    };
    Ok((entry.system_id, key))
}

fn parse_hex_key(hex: &str) -> Result<[u8; 32], String> {
    let hex = hex.trim();
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("`key` must be 64 hex digits (32 bytes)".into());
    }
    let mut key = [0_u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_problem_is_named_and_refuses_its_drone() {
        let text = r#"
[[drone]]
system_id = 1
passphrase = "good"

[[drone]]
system_id = 2
key = "abcd"

[[drone]]
system_id = 3
passphrase = "x"
key = "00"

[[drone]]
system_id = 1
passphrase = "again"
"#;
        let (keys, problems) = DroneKeys::parse(text, "drones.toml");
        assert_eq!(
            problems,
            [
                "drones.toml: drone #1: `key` must be 64 hex digits (32 bytes)",
                "drones.toml: drone #2: give `passphrase` or `key`, not both",
                "drones.toml: drone #3: system 1 is listed twice",
            ]
        );
        assert!(keys.signing_systems().is_empty());
        assert_eq!(keys.unusable.len(), 3);
    }

    #[test]
    fn a_file_that_does_not_read_trusts_nobody() {
        let (keys, problems) = DroneKeys::parse("[[drone]\n", "drones.toml");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("drones.toml: "), "{problems:?}");
        assert!(keys.unreadable.is_some());
        let (keys, problems) = DroneKeys::load(Path::new("/nonexistent/drones.toml"));
        assert!(keys.unreadable.is_some() && problems[0].contains("/nonexistent/drones.toml"));
    }

    #[test]
    fn a_passphrase_key_is_its_sha256_as_mavproxy_makes_it() {
        let (keys, problems) = DroneKeys::parse(
            &format!(
                "require_signing = true\n[[drone]]\nsystem_id = 4\nkey = \"{}\"\n",
                "ab".repeat(32)
            ),
            "f",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(keys.signing_systems(), [4]);
        assert!(keys.require_signing);
        assert_eq!(
            entry_key(toml::from_str("system_id = 5\npassphrase = \"abc\"").expect("toml"))
                .map(|(_, k)| k[..4].to_vec()),
            // SHA-256("abc") starts ba 78 16 bf.
            Ok(vec![0xba, 0x78, 0x16, 0xbf])
        );
    }
}
