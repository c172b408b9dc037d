//! Anim'Connect: the planner of the leisure centres (accueils de loisirs). For now its staffing
//! rules (`staffing`), which `csc encadrement` prints for directors preparing a day.

pub mod staffing;
