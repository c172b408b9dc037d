//! The server-rendered map: the territory's communes as a faint background and the places found
//! as numbered markers, in an SVG that needs no JavaScript (the list under it has the same
//! numbers).

use serde::Serialize;

use crate::communes;

const WIDTH: f64 = 600.0;
const MARGIN: f64 = 20.0;
// The territory's box, a little larger than its communes' centres.
const SOUTH: f64 = 50.49;
const NORTH: f64 = 50.81;
const WEST: f64 = 2.76;
const EAST: f64 = 3.30;

/// A point of the map.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub label: String,
    /// The marker's number (0 for a commune).
    pub n: usize,
}

/// The map's height for its width (equirectangular at the territory's latitude).
pub fn height() -> f64 {
    let k = ((SOUTH + NORTH) / 2.0).to_radians().cos();
    ((NORTH - SOUTH) / ((EAST - WEST) * k) * (WIDTH - 2.0 * MARGIN) + 2.0 * MARGIN).round()
}

fn project(lat: f64, lon: f64) -> (f64, f64) {
    let h = height();
    let x = MARGIN + (lon - WEST) / (EAST - WEST) * (WIDTH - 2.0 * MARGIN);
    let y = MARGIN + (NORTH - lat) / (NORTH - SOUTH) * (h - 2.0 * MARGIN);
    ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
}

/// The map's data: its size, the communes and the numbered places (in the list's order).
#[derive(Debug, Clone, Serialize)]
pub struct Map {
    pub width: f64,
    pub height: f64,
    pub communes: Vec<Point>,
    pub markers: Vec<Point>,
}

/// The map of `places` (name, latitude, longitude), numbered from 1 in order.
pub fn of(places: &[(String, f64, f64)]) -> Map {
    Map {
        width: WIDTH,
        height: height(),
        communes: communes::all()
            .iter()
            .map(|c| {
                let (x, y) = project(c.latitude, c.longitude);
                Point {
                    x,
                    y,
                    label: c.name.clone(),
                    n: 0,
                }
            })
            .collect(),
        markers: places
            .iter()
            .enumerate()
            .map(|(i, (name, lat, lon))| {
                let (x, y) = project(*lat, *lon);
                Point {
                    x: x.clamp(0.0, WIDTH),
                    y: y.clamp(0.0, height()),
                    label: name.clone(),
                    n: i + 1,
                }
            })
            .collect(),
    }
}
