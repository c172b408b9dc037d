//! Grids of cells: tables with a repeated header, and key-value lists.

use super::{Pages, Style, BODY, CELL, CONTENT_H, CONTENT_W, MARGIN_X};
use crate::pdf::text::{clean, Face};
use crate::pdf::Align;

/// Horizontal padding inside a table cell.
const CELL_PAD: f32 = 4.0;
/// Space between a key and its value.
const KEY_GAP: f32 = 10.0;

/// A cell of a row: its text area (padding excluded) and its lines.
struct RowCell {
    x: f32,
    w: f32,
    align: Align,
    face: Face,
    lines: Vec<String>,
}

/// How rows are set: text size, vertical padding, rules between rows.
#[derive(Clone, Copy)]
struct Grid {
    style: Style,
    pad: f32,
    rules: bool,
}

impl Grid {
    fn height(self, lines: usize) -> f32 {
        lines as f32 * self.style.lead() + 2.0 * self.pad
    }
}

const TABLE_GRID: Grid = Grid {
    style: CELL,
    pad: 3.0,
    rules: true,
};
const KEY_VALUE_GRID: Grid = Grid {
    style: BODY,
    pad: 1.5,
    rules: false,
};

fn line_count(row: &[RowCell]) -> usize {
    row.iter().map(|c| c.lines.len()).max().unwrap_or(0).max(1)
}

/// Shares `total` between columns of `natural` (unwrapped) and `least` (widest word)
/// widths: narrow columns keep their natural width, wide ones wrap, and each column
/// gets its widest word when possible.
fn share_width(natural: &[f32], least: &[f32], total: f32) -> Vec<f32> {
    let sum = |v: &[f32], open: &[bool]| -> f32 {
        v.iter()
            .zip(open)
            .filter(|(_, o)| **o)
            .map(|(w, _)| w)
            .sum()
    };
    let n = natural.len();
    let all = vec![true; n];
    let natural_sum = sum(natural, &all);
    if natural_sum <= total {
        let extra = (total - natural_sum) / n as f32;
        return natural.iter().map(|w| w + extra).collect();
    }
    // Fix the columns narrower than a fair share of what is left, until none is.
    let mut open = all.clone();
    let mut left = total;
    loop {
        let fair = left / open.iter().filter(|o| **o).count().max(1) as f32;
        let narrow: Vec<usize> = (0..n).filter(|&i| open[i] && natural[i] <= fair).collect();
        if narrow.is_empty() {
            break;
        }
        for i in narrow {
            open[i] = false;
            left -= natural[i];
        }
    }
    let (open_least, open_natural) = (sum(least, &open), sum(natural, &open));
    if open_least > left || open_natural <= open_least {
        // Not enough room for every word: shrink everything towards the widest words.
        let least_sum = sum(least, &all);
        if least_sum >= total {
            return least.iter().map(|l| l * total / least_sum).collect();
        }
        let k = (total - least_sum) / (natural_sum - least_sum);
        return (0..n)
            .map(|i| least[i] + (natural[i] - least[i]) * k)
            .collect();
    }
    let k = (left - open_least) / (open_natural - open_least);
    (0..n)
        .map(|i| {
            if open[i] {
                least[i] + (natural[i] - least[i]) * k
            } else {
                natural[i]
            }
        })
        .collect()
}

impl Pages {
    pub(super) fn key_values(&mut self, pairs: &[(String, String)]) {
        let (fonts, style) = (self.fonts, KEY_VALUE_GRID.style);
        let widest = pairs
            .iter()
            .flat_map(|(k, _)| k.split('\n'))
            .map(|k| fonts.width(&clean(k), Face::Bold, style.size))
            .fold(0.0, f32::max);
        let key_w = widest.min(CONTENT_W * 0.4);
        let value_x = MARGIN_X + key_w + KEY_GAP;
        let value_w = CONTENT_W - key_w - KEY_GAP;
        let rows: Vec<Vec<RowCell>> = pairs
            .iter()
            .map(|(k, v)| {
                vec![
                    RowCell {
                        x: MARGIN_X,
                        w: key_w,
                        align: Align::Left,
                        face: Face::Bold,
                        lines: fonts.wrap_text(k, Face::Bold, style.size, key_w),
                    },
                    RowCell {
                        x: value_x,
                        w: value_w,
                        align: Align::Left,
                        face: style.face,
                        lines: fonts.wrap_text(v, style.face, style.size, value_w),
                    },
                ]
            })
            .collect();
        self.gap(6.0);
        self.rows(None, &rows, KEY_VALUE_GRID);
    }

    pub(super) fn table(&mut self, headers: &[String], rows: &[Vec<String>], align: &[Align]) {
        let columns = rows
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(headers.len());
        if columns == 0 {
            return;
        }
        let empty = String::new();
        let cell = |row: &[String], i: usize| row.get(i).unwrap_or(&empty).clone();
        let widths = self.column_widths(headers, rows, columns);
        let fonts = self.fonts;
        let make_row = |texts: &[String], face: Face| -> Vec<RowCell> {
            let mut x = MARGIN_X;
            (0..columns)
                .map(|i| {
                    let w = widths[i] - 2.0 * CELL_PAD;
                    let c = RowCell {
                        x: x + CELL_PAD,
                        w,
                        align: align.get(i).copied().unwrap_or(Align::Left),
                        face,
                        lines: fonts.wrap_text(&cell(texts, i), face, CELL.size, w),
                    };
                    x += widths[i];
                    c
                })
                .collect()
        };
        let header = (!headers.is_empty()).then(|| make_row(headers, Face::Bold));
        let body: Vec<Vec<RowCell>> = rows.iter().map(|r| make_row(r, CELL.face)).collect();
        self.gap(8.0);
        self.rows(header.as_deref(), &body, TABLE_GRID);
    }

    /// Column widths (padding included) filling the page width.
    fn column_widths(&self, headers: &[String], rows: &[Vec<String>], columns: usize) -> Vec<f32> {
        let fonts = self.fonts;
        let mut natural = vec![2.0 * CELL_PAD; columns];
        let mut least = vec![2.0 * CELL_PAD; columns];
        let texts = rows
            .iter()
            .flat_map(|r| r.iter().enumerate().map(|(i, t)| (i, t, CELL.face)))
            .chain(headers.iter().enumerate().map(|(i, t)| (i, t, Face::Bold)));
        for (i, text, face) in texts {
            for part in text.split('\n') {
                let w = fonts.width(&clean(part), face, CELL.size);
                natural[i] = natural[i].max(w + 2.0 * CELL_PAD);
            }
            let word = fonts.widest_word(text, face, CELL.size);
            least[i] = least[i].max(word + 2.0 * CELL_PAD);
        }
        let least: Vec<f32> = least.iter().zip(&natural).map(|(l, n)| l.min(*n)).collect();
        share_width(&natural, &least, CONTENT_W)
    }

    /// Rows with an optional header repeated on each page; a row moves to the next
    /// page whole, unless it is taller than a page, then it is split between lines.
    fn rows(&mut self, header: Option<&[RowCell]>, rows: &[Vec<RowCell>], g: Grid) {
        let mut header_h = header.map_or(0.0, |h| g.height(line_count(h)));
        // A header too tall to repeat is shown once.
        let repeat = header_h <= CONTENT_H / 3.0;
        if !repeat {
            header_h = 0.0;
        }
        let first = rows.first().map_or(0.0, |r| g.height(line_count(r)));
        self.ensure(header_h + first.min(CONTENT_H - header_h));
        if let Some(h) = header {
            self.header(h, g);
        }
        let header = header.filter(|_| repeat);
        for row in rows {
            let n = line_count(row);
            let mut from = 0;
            while from < n {
                let rest = g.height(n - from);
                if rest <= self.room() {
                    self.draw_row(row, from, n, g);
                    from = n;
                    continue;
                }
                if rest > CONTENT_H - header_h && self.room() >= g.height(1) {
                    let fit = ((self.room() - 2.0 * g.pad) / g.style.lead()).floor() as usize;
                    let to = from + fit.max(1);
                    self.draw_row(row, from, to, g);
                    from = to;
                }
                self.new_page();
                if let Some(h) = header {
                    self.header(h, g);
                }
            }
            if g.rules {
                self.rule(0.3, 0.6);
            }
        }
    }

    fn header(&mut self, header: &[RowCell], g: Grid) {
        self.rule(0.8, 0.0);
        self.draw_row(header, 0, line_count(header), g);
        self.rule(0.8, 0.0);
    }

    /// Lines `from..to` of each cell of `row`, then moves below them.
    fn draw_row(&mut self, row: &[RowCell], from: usize, to: usize, g: Grid) {
        let (style, fonts) = (g.style, self.fonts);
        for cell in row {
            for (k, line) in cell.lines.iter().enumerate().take(to).skip(from) {
                let top = self.y + g.pad + (k - from) as f32 * style.lead();
                let w = fonts.width(line, cell.face, style.size);
                let x = match cell.align {
                    Align::Left => cell.x,
                    Align::Right => cell.x + (cell.w - w).max(0.0),
                    Align::Center => cell.x + (cell.w - w).max(0.0) / 2.0,
                };
                self.put(x, top, line, cell.face, style.size);
            }
        }
        self.y += g.height(to - from);
    }
}

#[cfg(test)]
mod tests {
    use super::share_width;

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.01)
    }

    #[test]
    fn narrow_columns_keep_their_width_and_wide_ones_wrap() {
        let w = share_width(&[50.0, 60.0, 900.0, 55.0], &[40.0, 50.0, 70.0, 55.0], 480.0);
        assert!(close(&w, &[50.0, 60.0, 315.0, 55.0]), "{w:?}");
        assert!(close(
            &share_width(&[100.0, 200.0], &[50.0, 50.0], 400.0),
            &[150.0, 250.0]
        ));
        // Too little room even for the widest words: everything shrinks.
        let w = share_width(&[300.0, 300.0], &[300.0, 100.0], 200.0);
        assert!(close(&w, &[150.0, 50.0]), "{w:?}");
    }
}
