//! The dashboard's view model: periods, charts as geometry for accessible SVG, CSV.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::sink::{Count, Report};

/// Longest period a report may cover.
pub const MAX_DAYS: i64 = 800;

/// Parses the `du`/`au` fields; the default is the last 30 days.
pub fn parse_period(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), (String, String)> {
    let parse = |field: &str, v: Option<&str>, default: NaiveDate| match v
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => Ok(default),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
            .map_err(|_| {
                (
                    field.to_string(),
                    "Indiquez une date, par exemple 2026-11-23.".to_string(),
                )
            }),
    };
    let to = parse("au", to, today)?;
    let from = parse("du", from, to - Duration::days(29))?;
    if from > to {
        return Err((
            "du".into(),
            "La date de début doit précéder la date de fin.".into(),
        ));
    }
    if (to - from).num_days() > MAX_DAYS {
        return Err((
            "du".into(),
            format!("La période est limitée à {MAX_DAYS} jours."),
        ));
    }
    Ok((from, to))
}

/// One bar of a chart, with its geometry.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// A bar chart ready to draw.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: u32,
    pub height: u32,
    pub max: u64,
    pub bars: Vec<Bar>,
}

const PLOT_W: u32 = 720;

/// Vertical bars (one per day…), `height` pixels for the largest value.
pub fn vertical(id: &str, title: &str, points: &[(String, u64)], height: u32) -> Chart {
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let n = points.len().max(1) as u32;
    let slot = (PLOT_W / n).max(2);
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let h = ((*value as f64 / max as f64) * f64::from(height)).round() as u32;
            Bar {
                label: label.clone(),
                value: *value,
                x: i as u32 * slot,
                y: height - h,
                w: (slot * 4 / 5).max(1),
                h,
            }
        })
        .collect();
    Chart {
        id: id.into(),
        title: title.into(),
        desc: summary(points),
        width: slot * n,
        height,
        max,
        bars,
    }
}

/// Horizontal bars (rankings), one row of 28 pixels each.
pub fn horizontal(id: &str, title: &str, points: &[(String, u64)]) -> Chart {
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let bar_w = 460.0;
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, (label, value))| Bar {
            label: label.clone(),
            value: *value,
            x: 250,
            y: i as u32 * 28,
            w: ((*value as f64 / max as f64) * bar_w).round().max(1.0) as u32,
            h: 20,
        })
        .collect();
    Chart {
        id: id.into(),
        title: title.into(),
        desc: summary(points),
        width: PLOT_W + 60,
        height: (points.len() as u32 * 28).max(28),
        max,
        bars,
    }
}

fn summary(points: &[(String, u64)]) -> String {
    let total: u64 = points.iter().map(|p| p.1).sum();
    match points.iter().max_by_key(|p| p.1) {
        Some((label, v)) if total > 0 => format!("Total : {total}. Maximum : {v} ({label}). Les données sont reprises dans le tableau qui suit."),
        _ => "Aucune donnée sur la période.".into(),
    }
}

/// One cell of the hour × weekday grid.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub weekday: u8,
    pub hour: u8,
    pub value: u64,
    /// Shade of the cell, 0 (none) to 4 (busiest).
    pub shade: u8,
}

/// French weekday names, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// The full 7 × 24 grid, zeros included, rows by weekday.
pub fn grid(report: &Report) -> Vec<Vec<Cell>> {
    let max = report.grid.iter().map(|g| g.2).max().unwrap_or(0).max(1);
    (0..7u8)
        .map(|w| {
            (0..24u8)
                .map(|h| {
                    let value = report
                        .grid
                        .iter()
                        .find(|g| g.0 == w && g.1 == h)
                        .map_or(0, |g| g.2);
                    Cell {
                        weekday: w,
                        hour: h,
                        value,
                        shade: ((value * 4).div_ceil(max)) as u8,
                    }
                })
                .collect()
        })
        .collect()
}

/// The top `n` of each app, apps in order of their first appearance.
pub fn top_per_app(counts: &[Count], n: usize) -> Vec<(String, Vec<Count>)> {
    let mut out: Vec<(String, Vec<Count>)> = Vec::new();
    for c in counts {
        match out.iter_mut().find(|(app, _)| *app == c.a) {
            Some((_, v)) if v.len() < n => v.push(c.clone()),
            Some(_) => {}
            None => out.push((c.a.clone(), vec![c.clone()])),
        }
    }
    out
}

/// The report as CSV (semicolons and a BOM, as French spreadsheets expect).
pub fn csv(report: &Report, centre_label: &str) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record([
        "centre",
        "rubrique",
        "date",
        "application",
        "element",
        "valeur",
        "pages_vues",
        "visites",
        "visiteurs",
        "nombre",
    ])?;
    for d in &report.daily {
        let (p, v, u) = (
            d.pageviews.to_string(),
            d.visits.to_string(),
            d.visitors.to_string(),
        );
        w.write_record([
            centre_label,
            "jour",
            &d.day.to_string(),
            "",
            "",
            "",
            &p,
            &v,
            &u,
            "",
        ])?;
    }
    let mut rows = |kind: &str, list: &[Count], value_column: bool| -> anyhow::Result<()> {
        for c in list {
            let n = c.count.to_string();
            if value_column {
                w.write_record([centre_label, kind, "", "", &c.a, &c.b, "", "", "", &n])?;
            } else {
                w.write_record([centre_label, kind, "", &c.a, &c.b, "", "", "", "", &n])?;
            }
        }
        Ok(())
    };
    rows("page", &report.pages, false)?;
    rows("demarche", &report.clicks, false)?;
    rows("evenement", &report.events, true)?;
    for (device, n) in &report.devices {
        w.write_record([
            centre_label,
            "appareil",
            "",
            "",
            device,
            "",
            "",
            "",
            "",
            &n.to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_default_to_the_last_30_days_and_are_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid");
        let (from, to) = parse_period(None, None, today).expect("default");
        assert_eq!((to - from).num_days(), 29);
        assert_eq!(to, today);
        assert!(parse_period(Some("2026-11-30"), Some("2026-11-01"), today).is_err());
        assert_eq!(
            parse_period(Some("hier"), None, today).err().map(|e| e.0),
            Some("du".to_string())
        );
        assert!(parse_period(Some("01/11/2026"), Some("2026-11-02"), today).is_ok());
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let c = vertical("x", "t", &[("a".into(), 5), ("b".into(), 10)], 100);
        assert_eq!(c.bars[1].h, 100);
        assert_eq!(c.bars[0].h, 50);
        assert_eq!(c.bars[0].y, 50);
        assert!(c.desc.contains("Total : 15"));
    }

    #[test]
    fn csv_has_a_bom_semicolons_and_every_section() {
        let r = Report {
            daily: vec![crate::sink::DayFigures {
                day: NaiveDate::from_ymd_opt(2026, 1, 2).expect("valid"),
                pageviews: 3,
                visits: 2,
                visitors: 1,
            }],
            clicks: vec![Count {
                a: "kiosque".into(),
                b: "caf".into(),
                count: 4,
            }],
            ..Default::default()
        };
        let bytes = csv(&r, "Centre A").expect("csv");
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        assert!(text.contains("Centre A;jour;2026-01-02;;;;3;2;1;"));
        assert!(text.contains("Centre A;demarche;;kiosque;caf;;;;;4"));
    }
}
