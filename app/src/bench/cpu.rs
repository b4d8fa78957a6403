//! CPU time of this process, from `/proc/self/stat` (Linux).

use std::time::Duration;

/// Clock ticks per second for `/proc` times (`getconf CLK_TCK`; 100 on Linux).
fn ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .filter(|&t| t > 0)
        .unwrap_or(100)
}

/// User + system CPU time this process has used.
pub fn process_cpu_time() -> anyhow::Result<Duration> {
    cpu_time_of("/proc/self/stat")
}

/// User + system CPU time this process's main thread has used (to take a
/// benchmark's own polling out of what it reports).
pub fn main_thread_cpu_time() -> anyhow::Result<Duration> {
    cpu_time_of(&format!("/proc/self/task/{}/stat", std::process::id()))
}

fn cpu_time_of(path: &str) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string(path)?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| anyhow::anyhow!("unexpected /proc/self/stat"))?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 here.
    let ticks: u64 = fields
        .get(11..13)
        .ok_or_else(|| anyhow::anyhow!("short /proc/self/stat"))?
        .iter()
        .map(|f| f.parse::<u64>())
        .sum::<Result<u64, _>>()?;
    let tps = ticks_per_second();
    Ok(
        Duration::from_secs(ticks / tps)
            + Duration::from_nanos((ticks % tps) * 1_000_000_000 / tps),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_grows_with_work() {
        let before = process_cpu_time().expect("cpu");
        let start = std::time::Instant::now();
        let mut x = 0_u64;
        while start.elapsed() < Duration::from_millis(300) {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        }
        std::hint::black_box(x);
        let used = process_cpu_time().expect("cpu").saturating_sub(before);
        assert!(used >= Duration::from_millis(150), "{used:?}");
    }
}
