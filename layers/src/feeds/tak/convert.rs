//! Between TAK Protocol's `CotEvent` and the console's [`CotEvent`]: the
//! same fields the XML parser reads, checked by the same rules.

use chrono::{DateTime, Utc};

use super::{TakError, wire};
use crate::feeds::cot::{
    self, CotEvent, CotGroup, CotPoint, DetailFields, ERROR_RANGE, HAE_RANGE, LAT_RANGE, LON_RANGE,
};

/// Reads a protobuf event as the XML parser would read the same event.
///
/// Protobuf has no "absent" for scalars: a zero `ce`/`le` is read as given
/// (TAK clients always fill them; `9999999` is CoT's "unknown"), a zero
/// `hae` likewise, and an empty `how` or callsign as absent.
pub fn to_cot(e: &wire::CotEvent) -> Result<CotEvent, TakError> {
    if e.uid.trim().is_empty() {
        return Err(bad("uid", &e.uid, "is empty"));
    }
    if e.r#type.is_empty() {
        return Err(bad("type", "", "is empty"));
    }
    let mut detail = DetailFields::default();
    if let Some(d) = &e.detail {
        // The typed fields win over the same element in xmlDetail.
        detail
            .read_fragment(&d.xml_detail)
            .map_err(TakError::Detail)?;
        if let Some(contact) = &d.contact
            && !contact.callsign.is_empty()
        {
            detail.callsign = Some(contact.callsign.clone());
        }
        if let Some(track) = &d.track {
            detail.course_deg = Some(checked(
                "detail.track.course",
                track.course,
                cot::COURSE_RANGE,
            )?);
            detail.speed_mps = Some(checked(
                "detail.track.speed",
                track.speed,
                cot::SPEED_RANGE,
            )?);
        }
        if let Some(group) = &d.group {
            detail.group = Some(CotGroup {
                name: group.name.clone(),
                role: group.role.clone(),
            });
        }
    }
    Ok(CotEvent {
        uid: e.uid.clone(),
        kind: e.r#type.clone(),
        how: (!e.how.is_empty()).then(|| e.how.clone()),
        time: time("sendTime", e.send_time)?,
        start: time("startTime", e.start_time)?,
        stale: time("staleTime", e.stale_time)?,
        point: CotPoint {
            lat: checked("lat", e.lat, LAT_RANGE)?,
            lon: checked("lon", e.lon, LON_RANGE)?,
            hae: checked("hae", e.hae, HAE_RANGE)?,
            ce: checked("ce", e.ce, ERROR_RANGE)?,
            le: checked("le", e.le, ERROR_RANGE)?,
        },
        callsign: detail.callsign,
        course_deg: detail.course_deg,
        speed_mps: detail.speed_mps,
        emergency: detail.emergency,
        group: detail.group,
    })
}

/// The protobuf form of `event`: what the XML encoder writes, with the
/// emergency (which has no typed field) in `xmlDetail`.
pub fn from_cot(event: &CotEvent) -> wire::CotEvent {
    let ms = |t: &DateTime<Utc>| u64::try_from(t.timestamp_millis()).unwrap_or(0);
    let track = (event.course_deg.is_some() || event.speed_mps.is_some()).then(|| wire::Track {
        speed: event.speed_mps.unwrap_or(0.0),
        course: event.course_deg.unwrap_or(0.0),
    });
    let xml_detail = event.emergency.as_ref().map_or_else(String::new, |kind| {
        use quick_xml::escape::escape;
        format!(
            r#"<emergency type="{}">{}</emergency>"#,
            escape(kind.as_str()),
            escape(event.callsign.as_deref().unwrap_or_default())
        )
    });
    wire::CotEvent {
        r#type: event.kind.clone(),
        uid: event.uid.clone(),
        how: event.how.clone().unwrap_or_default(),
        send_time: ms(&event.time),
        start_time: ms(&event.start),
        stale_time: ms(&event.stale),
        lat: event.point.lat,
        lon: event.point.lon,
        hae: event.point.hae,
        ce: event.point.ce,
        le: event.point.le,
        detail: Some(wire::Detail {
            xml_detail,
            contact: event.callsign.as_ref().map(|callsign| wire::Contact {
                endpoint: String::new(),
                callsign: callsign.clone(),
            }),
            group: event.group.as_ref().map(|g| wire::Group {
                name: g.name.clone(),
                role: g.role.clone(),
            }),
            track,
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn checked(
    field: &'static str,
    value: f64,
    range: std::ops::RangeInclusive<f64>,
) -> Result<f64, TakError> {
    if !value.is_finite() {
        return Err(bad(field, &value.to_string(), "is not a finite number"));
    }
    if !range.contains(&value) {
        return Err(bad(field, &value.to_string(), "is out of range"));
    }
    Ok(value)
}

/// Milliseconds since the epoch (the protocol's unit) as a time; zero (the
/// protobuf default) is "not given", which CoT does not allow.
fn time(field: &'static str, ms: u64) -> Result<DateTime<Utc>, TakError> {
    if ms == 0 {
        return Err(bad(field, "0", "is not set"));
    }
    i64::try_from(ms)
        .ok()
        .and_then(DateTime::<Utc>::from_timestamp_millis)
        .ok_or_else(|| bad(field, &ms.to_string(), "is not a time"))
}

fn bad(field: &'static str, value: &str, reason: &'static str) -> TakError {
    TakError::Field {
        field,
        value: value.chars().take(64).collect(),
        reason,
    }
}
