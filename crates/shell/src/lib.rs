//! placeholder

/// Makes `bash`, `sh` and the utilities available in `lab`.
pub fn register(lab: &tsunagi_lab::Lab) {
    let _ = lab;
}
