#![no_main]
use libfuzzer_sys::fuzz_target;

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
    let _ = chainlens_data::table::decode(data);
    // First byte picks the delimiter so tab/semicolon paths are reached too.
    let (delim, body) = match data.split_first() {
        Some((b'\t', rest)) => (b'\t', rest),
        Some((b';', rest)) => (b';', rest),
        _ => (b',', data),
    };
    if let Ok(t) = chainlens_data::table::parse_csv(
        body,
        "fuzz.csv",
        delim,
        &chainlens_data::Limits::default().records(),
    ) {
        typed(&t);
    }
});
