#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write;

fn typed(t: &chainlens_data::table::RawTable) {
    use chainlens_data::records as r;
    let _ = r::regions(t);
    let _ = r::sectors(t);
    let _ = r::enterprises(t);
    let _ = r::supply_links(t);
    let _ = r::indicators(t);
    let _ = r::risks(t);
    let _ = r::stages(t);
    let _ = r::chains(t);
}

fuzz_target!(|data: &[u8]| {
    // calamine needs a file: one temp file per process, rewritten each run.
    let path = std::env::temp_dir().join(format!("chainlens-fuzz-{}.xlsx", std::process::id()));
    let path = if std::path::Path::new("/dev/shm").is_dir() {
        std::path::PathBuf::from(format!("/dev/shm/chainlens-fuzz-{}.xlsx", std::process::id()))
    } else {
        path
    };
    {
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(data).unwrap();
    }
    for sheet in ["Sheet1", "regions"] {
        if let Ok(t) = chainlens_data::table::read_sheet(
            &path,
            "fuzz.xlsx",
            sheet,
            &chainlens_data::Limits::default().records(),
        ) {
            typed(&t);
        }
    }
});
