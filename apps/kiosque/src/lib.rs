//! Kiosque « Le numérique à mon service » (work in progress: the catalogue data is in `data/`).
