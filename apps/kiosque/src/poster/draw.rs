//! The page's drawing operations.

use csc_documents::pdf::text::Fonts;
use printpdf::{
    Actions, BorderArray, LinePoint, LinkAnnotation, Op, PaintMode, PdfFontHandle, Point, Polygon,
    PolygonRing, Pt, Rect, TextItem, WindingOrder,
};

use super::layout::{Fill, Layout};
use super::qr::QrPlacement;
use super::style::{Ink, PAGE_H};
use super::text::Align;

fn point(x: f32, top: f32) -> LinePoint {
    LinePoint {
        p: Point {
            x: Pt(x),
            y: Pt(PAGE_H - top),
        },
        bezier: false,
    }
}

fn rect(f: &Fill) -> Rect {
    Rect {
        x: Pt(f.x),
        y: Pt(PAGE_H - f.top - f.h),
        width: Pt(f.w),
        height: Pt(f.h),
        mode: Some(PaintMode::Fill),
        winding_order: Some(WindingOrder::NonZero),
    }
}

/// All dark modules as one filled path (no seams between adjacent modules).
fn qr_polygon(qr: &QrPlacement) -> Polygon {
    let m = qr.module;
    let rings = qr
        .matrix
        .runs
        .iter()
        .map(|r| {
            let left = qr.x + r.x as f32 * m;
            let right = left + r.len as f32 * m;
            let top = qr.top + r.y as f32 * m;
            let bottom = top + m;
            PolygonRing {
                points: vec![
                    point(left, top),
                    point(right, top),
                    point(right, bottom),
                    point(left, bottom),
                ],
            }
        })
        .collect();
    Polygon {
        rings,
        mode: PaintMode::Fill,
        winding_order: WindingOrder::NonZero,
    }
}

pub(super) fn draw(l: &Layout, fonts: Fonts) -> Vec<Op> {
    let mut ops = vec![
        Op::SaveGraphicsState,
        Op::SetFillColor {
            col: Ink::Accent.color(),
        },
    ];
    ops.extend(
        l.fills
            .iter()
            .map(|f| Op::DrawRectangle { rectangle: rect(f) }),
    );
    ops.push(Op::SetFillColor {
        col: Ink::Black.color(),
    });
    ops.push(Op::DrawPolygon {
        polygon: qr_polygon(&l.qr),
    });
    for block in &l.texts {
        ops.push(Op::SetFillColor {
            col: block.ink.color(),
        });
        for (i, line) in block.lines.iter().enumerate() {
            let x = match block.align {
                Align::Left => block.x,
                Align::Center => {
                    block.x
                        + (block.width - fonts.width(line, block.face, block.size)).max(0.0) / 2.0
                }
            };
            ops.extend([
                Op::StartTextSection,
                Op::SetFont {
                    font: PdfFontHandle::Builtin(block.face.builtin()),
                    size: Pt(block.size),
                },
                Op::SetTextCursor {
                    pos: Point {
                        x: Pt(x),
                        y: Pt(PAGE_H - block.top - block.baseline(i)),
                    },
                },
                Op::ShowText {
                    items: vec![TextItem::Text(line.clone())],
                },
                Op::EndTextSection,
            ]);
        }
    }
    ops.push(Op::RestoreGraphicsState);
    ops.push(Op::LinkAnnotation {
        link: LinkAnnotation::new(
            rect(&l.link),
            Actions::uri(l.url.clone()),
            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
            None,
            None,
        ),
    });
    ops
}
