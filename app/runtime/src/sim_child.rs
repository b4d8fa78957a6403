//! The demo's camera simulator as a child process: `watchfloor sim cameras`
//! started from this executable, and the cameras it announces.

/// One camera as `watchfloor sim cameras` announces it on stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announced {
    /// Its RTSP URL on loopback.
    pub url: String,
    /// Its name (which footage variant, which offset).
    pub name: String,
    /// Where the footage is from.
    pub credit: String,
}

/// Starts `watchfloor sim cameras --port 0 --exit-on-stdin-eof` as a child of
/// this process with `extra` arguments; stdin and stdout are piped, so the
/// child ends when this process does.
pub fn spawn_child(extra: &[String]) -> std::io::Result<std::process::Child> {
    std::process::Command::new(std::env::current_exe()?)
        .args([
            "--log-level",
            "warn",
            "sim",
            "cameras",
            "--port",
            "0",
            "--exit-on-stdin-eof",
        ])
        .args(extra)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
}

/// Reads the child's announcements up to its `ready` line.
pub fn read_announced(stdout: impl std::io::Read) -> Result<Vec<Announced>, String> {
    use std::io::BufRead as _;
    let mut cameras = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("reading the camera simulator: {e}"))?;
        if line == "ready" {
            return Ok(cameras);
        }
        let mut fields = line.split('\t');
        if let (Some(url), Some(name), credit) = (fields.next(), fields.next(), fields.next()) {
            cameras.push(Announced {
                url: url.to_owned(),
                name: name.to_owned(),
                credit: credit.unwrap_or_default().to_owned(),
            });
        }
    }
    Err("the camera simulator exited before serving (see its log above)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_are_read_up_to_ready() {
        let text = "rtsp://127.0.0.1:1/cam0\tSim 00\tcredit A\nrtsp://127.0.0.1:1/cam1\tSim 01\tcredit B\nready\nignored\n";
        let got = read_announced(text.as_bytes()).expect("ready seen");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].url, "rtsp://127.0.0.1:1/cam1");
        assert_eq!(got[0].credit, "credit A");
        assert!(
            read_announced("rtsp://x\tSim\n".as_bytes()).is_err(),
            "no ready line"
        );
    }
}
