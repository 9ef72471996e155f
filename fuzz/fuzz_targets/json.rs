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
    if let Ok(t) = chainlens_data::table::parse_json(data, "fuzz.json", &chainlens_data::Limits::default().records()) {
        typed(&t);
    }
});
