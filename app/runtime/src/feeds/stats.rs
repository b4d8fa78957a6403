//! What every feed task counts: messages, malformed input (logged once per
//! source per interval) and senders' clocks.

use std::sync::{Arc, Mutex, PoisonError};

use watchfloor_layers::feeds::ingest::{ClockSkew, Decoded, FeedBook, FeedCounters};
use watchfloor_layers::model::UnixMicros;

/// Counters and the malformed-input log, shared by every feed task.
#[derive(Debug, Clone, Default)]
pub struct FeedStats(Arc<Mutex<FeedBook>>);

impl FeedStats {
    /// Records what became of one message and logs it if due; checks the
    /// sender's clock when the message carries its time.
    pub(super) fn record(&self, source: &str, decoded: &Decoded, at: UnixMicros) {
        let (report, skew) = {
            let mut book = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            let skew = decoded
                .sent_at
                .and_then(|sent| book.record_clock(source, sent, at));
            (
                book.record_as(source, &decoded.outcome, decoded.tak_protocol, at),
                skew,
            )
        };
        if let Some(skew) = skew {
            tracing::warn!(
                source = %skew.source,
                "{}: {} (its times are shown as sent, not shifted)",
                skew.source,
                skew.describe()
            );
        }
        if let Some(r) = report {
            tracing::warn!(
                source = %r.source,
                suppressed = r.suppressed,
                "malformed feed input: {} ({} more since the last report)",
                r.reason,
                r.suppressed
            );
        }
    }

    /// Senders whose clocks are off, by source.
    pub fn clock_skews(&self) -> Vec<ClockSkew> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clock_skews()
    }

    /// Counters summed over sources starting with `prefix` (`cot/`, `mavlink/`).
    pub fn total(&self, prefix: &str) -> FeedCounters {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total(prefix)
    }
}
