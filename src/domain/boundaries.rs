//! Boundaries of units for the monitor's map: read from GeoJSON (WGS84
//! longitude and latitude, features keyed by a TERYT code in `teryt`,
//! `terc` or `TERYT`), projected once onto one plane for the whole
//! country and simplified once, at import, into SVG path data; the map
//! draws the stored paths as they are.

use serde_json::Value;

/// Units of the plane per degree of latitude (a voivodeship is a few
/// hundred units across).
const SCALE: f64 = 100.0;
/// The plane's origin: the north-west corner of Poland, with margin.
const WEST: f64 = 13.5;
const NORTH: f64 = 55.5;
/// Longitude shrinks by the cosine of Poland's middle latitude (52°).
const COS_MIDDLE: f64 = 0.615_661_475_325_658_3;
/// Points closer than this to the line of their neighbours are dropped
/// (in units of the plane: about 40 m).
const TOLERANCE: f64 = 0.04;

/// One unit's boundary: its path and its box on the plane (tenths of a
/// unit, so that a box is kept as integers).
#[derive(Clone, Debug, PartialEq)]
pub struct Boundary {
    pub teryt: String,
    pub path: String,
    pub min_x: i64,
    pub min_y: i64,
    pub max_x: i64,
    pub max_y: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BoundaryError {
    #[error("to nie jest plik GeoJSON (FeatureCollection): {0}")]
    NotGeoJson(String),
    #[error("obiekt nr {0} nie ma kodu TERYT (właściwość teryt, terc albo TERYT)")]
    NoCode(usize),
    #[error("obiekt nr {0} ({1}) nie ma geometrii Polygon ani MultiPolygon")]
    NoShape(usize, String),
}

fn project(lon: f64, lat: f64) -> (f64, f64) {
    ((lon - WEST) * COS_MIDDLE * SCALE, (NORTH - lat) * SCALE)
}

/// Douglas–Peucker: the points of `ring` that keep its shape within
/// `TOLERANCE`, first and last always kept.
fn simplify(ring: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if ring.len() < 4 {
        return ring.to_vec();
    }
    let mut keep = vec![false; ring.len()];
    keep[0] = true;
    keep[ring.len() - 1] = true;
    let mut stack = vec![(0, ring.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (ax, ay) = ring[a];
        let (bx, by) = ring[b];
        let (dx, dy) = (bx - ax, by - ay);
        let length = (dx * dx + dy * dy).sqrt();
        let mut far = (0.0, a);
        for (i, &(px, py)) in ring.iter().enumerate().take(b).skip(a + 1) {
            let d = if length == 0.0 {
                ((px - ax).powi(2) + (py - ay).powi(2)).sqrt()
            } else {
                ((px - ax) * dy - (py - ay) * dx).abs() / length
            };
            if d > far.0 {
                far = (d, i);
            }
        }
        if far.0 > TOLERANCE {
            keep[far.1] = true;
            stack.push((a, far.1));
            stack.push((far.1, b));
        }
    }
    ring.iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

fn ring_of(value: &Value) -> Vec<(f64, f64)> {
    value
        .as_array()
        .map(|points| {
            points
                .iter()
                .filter_map(|p| {
                    let lon = p.get(0)?.as_f64()?;
                    let lat = p.get(1)?.as_f64()?;
                    Some(project(lon, lat))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The polygons of a geometry, each a list of rings (outer first).
fn polygons(geometry: &Value) -> Option<Vec<&Value>> {
    let coordinates = geometry.get("coordinates")?.as_array()?;
    match geometry.get("type")?.as_str()? {
        "Polygon" => Some(vec![geometry.get("coordinates")?]),
        "MultiPolygon" => Some(coordinates.iter().collect()),
        _ => None,
    }
}

/// A number of the path: tenths, without a trailing `.0`.
fn number(out: &mut String, v: f64) {
    let text = format!("{v:.1}");
    out.push_str(text.strip_suffix(".0").unwrap_or(&text));
}

/// Every feature of a GeoJSON FeatureCollection as a boundary.
pub fn read(text: &str) -> Result<Vec<Boundary>, BoundaryError> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| BoundaryError::NotGeoJson(e.to_string()))?;
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| BoundaryError::NotGeoJson("brak listy features".into()))?;
    let mut out = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let n = i + 1;
        let properties = f.get("properties");
        let code = ["teryt", "terc", "TERYT"]
            .iter()
            .find_map(|k| properties?.get(*k)?.as_str())
            .filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
            .ok_or(BoundaryError::NoCode(n))?;
        let shapes = f
            .get("geometry")
            .and_then(polygons)
            .ok_or_else(|| BoundaryError::NoShape(n, code.to_owned()))?;
        let mut path = String::new();
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for polygon in shapes {
            for ring in polygon.as_array().into_iter().flatten() {
                let points = simplify(&ring_of(ring));
                if points.len() < 3 {
                    continue;
                }
                for (j, &(x, y)) in points.iter().enumerate() {
                    path.push(if j == 0 { 'M' } else { 'L' });
                    number(&mut path, x);
                    path.push(' ');
                    number(&mut path, y);
                    (min_x, min_y) = (min_x.min(x), min_y.min(y));
                    (max_x, max_y) = (max_x.max(x), max_y.max(y));
                }
                path.push('Z');
            }
        }
        if path.is_empty() {
            return Err(BoundaryError::NoShape(n, code.to_owned()));
        }
        let tenths = |v: f64| (v * 10.0).round() as i64;
        out.push(Boundary {
            teryt: code.to_owned(),
            path,
            min_x: tenths(min_x),
            min_y: tenths(min_y),
            max_x: tenths(max_x),
            max_y: tenths(max_y),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_s_gminy_are_read_once_each_and_simplified() {
        let text = include_str!("../../assets/mazowieckie-gminy.geojson");
        let all = read(text).unwrap_or_default();
        assert_eq!(all.len(), 314);
        let bytes: usize = all.iter().map(|b| b.path.len()).sum();
        assert!(bytes < 150_000, "paths of {bytes} bytes");
        let warsaw = all.iter().find(|b| b.teryt == "1465011");
        assert!(warsaw.is_some_and(|w| w.path.starts_with('M') && w.path.ends_with('Z')));
    }

    #[test]
    fn a_file_that_is_not_geojson_or_lacks_a_code_is_refused_naming_the_feature() {
        assert!(matches!(read("[]"), Err(BoundaryError::NotGeoJson(_))));
        let no_code = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}"#;
        assert_eq!(read(no_code), Err(BoundaryError::NoCode(1)));
    }
}
