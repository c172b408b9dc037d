//! csc-testkit
