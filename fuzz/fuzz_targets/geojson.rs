#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = chainlens_data::geojson::parse_geojson(data, "fuzz.geojson", "id");
});
