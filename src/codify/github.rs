//! Opening the drift pull request on GitHub (placeholder, filled below).
