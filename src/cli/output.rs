//! Writing to a stdout whose reader went away (`driftcost … | head`).
//!
//! `println!` panics when stdout is a closed pipe (Rust ignores SIGPIPE). Every
//! command prints through it, so instead of touching each print, the panic
//! hook stays silent for exactly that panic and `main` turns it into a quiet
//! exit; any other panic is reported as before.

use std::any::Any;

/// The text of a panic payload (`panic!("…")` carries a `&str` or a `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-text payload".to_string()
    }
}

/// Whether the panic is std's "failed printing to stdout: Broken pipe".
pub fn is_closed_stdout(payload: &(dyn Any + Send)) -> bool {
    is_closed_stdout_message(&panic_message(payload))
}

fn is_closed_stdout_message(m: &str) -> bool {
    m.starts_with("failed printing to stdout") && m.contains("Broken pipe")
}

/// Installs a panic hook that says nothing for a closed stdout and defers to
/// the previous (default) hook for everything else.
pub fn quiet_on_closed_stdout() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_closed_stdout(info.payload()) {
            return;
        }
        previous(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_the_closed_stdout_panic() {
        assert!(is_closed_stdout_message(
            "failed printing to stdout: Broken pipe (os error 32)"
        ));
        assert!(!is_closed_stdout_message("index out of bounds"));
        assert!(!is_closed_stdout_message(
            "failed printing to stdout: No space left on device (os error 28)"
        ));
    }
}
