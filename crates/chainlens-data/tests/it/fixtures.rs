//! A small valid workspace written into a temporary folder, and ways to break it.

use std::path::{Path, PathBuf};

pub const CONFIG: &str = r#"
[workspace]
name = "mini"
home_region = "zhejiang"
country = "china"
years = [2018, 2023]

[tables]
regions = "data/regions.csv"
sectors = "data/sectors.csv"
enterprises = "data/enterprises.csv"
supply_links = "data/supply_links.csv"
indicators = "data/indicators.csv"
risks = "data/risks.csv"

[[chains]]
id = "optical"
name = "Optical communication"
  [[chains.stages]]
  id = "preform"
  name = "Preform"
  segment = "pre-production"
  position = "upstream"
  core = true
  [[chains.stages]]
  id = "fibre"
  name = "Fibre"
  segment = "production"
  position = "midstream"
  inputs = ["preform"]
  [[chains.stages]]
  id = "cable"
  name = "Cable"
  segment = "production"
  position = "downstream"
  inputs = ["fibre", "packaging?"]
  [[chains.stages]]
  id = "packaging"
  name = "Packaging"
  segment = "circulation"
  position = "downstream"
"#;

pub const REGIONS: &str = "id,name,level,parent,group,neighbours,latitude,longitude
china,China,country,,,,,
zhejiang,Zhejiang,province,china,yangtze_delta,jiangsu,29.2,120.2
jiangsu,Jiangsu,province,china,yangtze_delta,zhejiang,32.9,119.5
hangzhou,Hangzhou 杭州,city,zhejiang,northeast,,30.27,120.15
ningbo,Ningbo 宁波,city,zhejiang,northeast,,29.87,121.54
";

pub const SECTORS: &str = "id,name,code,classification
c39,Electronics,C39,GB/T 4754-2017
";

pub const ENTERPRISES: &str =
    "id,name,region,role,stages,sector,capacity,output,employees,cash,dev_cycle_days
e1,Futong Preform,hangzhou,leading,optical/preform,c39,1000,900,500,50,200
e2,Yangtze Fibre,ningbo,specialised,optical/fibre,c39,800,700,300,40,180
e3,Zhongtian Cable,jiangsu,supporting,optical/cable;optical/packaging,c39,600,500,200,5,150
";

pub const LINKS: &str = "supplier,buyer,chain,stage,value,share,lead_time_days,inventory_days,essential,receivable,overdue_days
e1,e2,optical,preform,300,1,10,20,true,60,0
e2,e3,optical,fibre,250,1,7,15,yes,80,120
";

pub const INDICATORS: &str = "region,year,indicator,value,source,imputed
hangzhou,2022,D111,0.62,survey,false
hangzhou,2023,D111,0.65,survey,false
ningbo,2023,D111,0.55,interpolated,true
";

pub const RISKS: &str = "id,type,factor,probability,impact,owner,measures
r1,supply,raw-material supply cut,0.234,0.867,regional command,diversify suppliers
";

/// Writes the mini workspace into `dir` and returns its path.
pub fn write_workspace(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(dir.join("chainlens.toml"), CONFIG).unwrap();
    for (name, text) in [
        ("regions", REGIONS),
        ("sectors", SECTORS),
        ("enterprises", ENTERPRISES),
        ("supply_links", LINKS),
        ("indicators", INDICATORS),
        ("risks", RISKS),
    ] {
        std::fs::write(data.join(format!("{name}.csv")), text).unwrap();
    }
    dir.to_owned()
}

/// Replaces `from` by `to` in a file of the workspace (panics if `from` is absent).
pub fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}
