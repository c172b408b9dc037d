//! The QR code of the portal address, as runs of dark modules, and where it sits on the page.

use anyhow::{Context, Result};
use qrcode::{Color as QrColor, EcLevel, QrCode};

use super::style::QUIET_MODULES;

/// A horizontal run of dark modules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Run {
    pub(super) x: usize,
    pub(super) y: usize,
    pub(super) len: usize,
}

/// The QR symbol as runs of dark modules (quiet zone not included).
#[derive(Debug)]
pub(super) struct QrMatrix {
    pub(super) width: usize,
    pub(super) runs: Vec<Run>,
}

pub(super) fn qr_matrix(data: &str) -> Result<QrMatrix> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(data.as_bytes(), EcLevel::L))
        .context("portal URL too long for a QR code")?;
    let width = code.width();
    let colors = code.to_colors();
    let mut runs = Vec::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == QrColor::Dark {
                let start = x;
                while x < width && row[x] == QrColor::Dark {
                    x += 1;
                }
                runs.push(Run {
                    x: start,
                    y,
                    len: x - start,
                });
            } else {
                x += 1;
            }
        }
    }
    Ok(QrMatrix { width, runs })
}

#[derive(Debug)]
pub(super) struct QrPlacement {
    /// Top-left corner of the symbol (the quiet zone lies around it).
    pub(super) x: f32,
    pub(super) top: f32,
    pub(super) module: f32,
    pub(super) matrix: QrMatrix,
}

impl QrPlacement {
    pub(super) fn side(&self) -> f32 {
        self.module * self.matrix.width as f32
    }

    pub(super) fn quiet(&self) -> f32 {
        self.module * QUIET_MODULES as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_runs_match_the_qrcode_matrix() -> Result<()> {
        let url = "https://csc.example.fr/kiosque/c/lazare-garreau";
        let m = qr_matrix(url)?;
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
        assert_eq!(m.width, code.width());
        let colors = code.to_colors();
        let dark = colors.iter().filter(|c| **c == QrColor::Dark).count();
        assert_eq!(m.runs.iter().map(|r| r.len).sum::<usize>(), dark);
        // Rebuilding the matrix from the runs gives the qrcode crate's exactly.
        let mut rebuilt = vec![QrColor::Light; m.width * m.width];
        for r in &m.runs {
            for x in r.x..r.x + r.len {
                rebuilt[r.y * m.width + x] = QrColor::Dark;
            }
        }
        assert_eq!(rebuilt, colors);
        Ok(())
    }
}
