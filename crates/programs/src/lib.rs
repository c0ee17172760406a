//! The Linux tools a lab runs, one module per tool, each reproducing the real tool's
//! arguments, output, messages and exit status (Debian 12 versions).

/// Makes every tool of this crate available in `lab`.
pub fn register(lab: &tsunagi_lab::Lab) {
    let _ = lab;
}
