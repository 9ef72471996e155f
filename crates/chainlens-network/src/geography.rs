//! Where firms are relative to each other: the region hierarchy (county ⊂ city ⊂
//! province ⊂ country), "inside a region" (a firm in Hangzhou is inside Zhejiang), and the
//! distance classes that chain supplement ranks candidates by (Gao 2021: partners "in the
//! region or across regions"): same city, same province, neighbouring province, elsewhere
//! in the country, abroad. Neighbourhood is symmetric: either side may list it.

use chainlens_model::{Region, RegionLevel};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// How far a candidate is from where it is needed, nearest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceClass {
    SameCity,
    SameProvince,
    NeighbouringProvince,
    Country,
    Abroad,
}

impl DistanceClass {
    pub fn as_str(self) -> &'static str {
        match self {
            DistanceClass::SameCity => "same city",
            DistanceClass::SameProvince => "same province",
            DistanceClass::NeighbouringProvince => "neighbouring province",
            DistanceClass::Country => "elsewhere in the country",
            DistanceClass::Abroad => "abroad",
        }
    }

    /// 0 (same city) … 4 (abroad): the unit cost of moving volume in the assignment.
    pub fn rank(self) -> u32 {
        self as u32
    }
}

/// The region table as a hierarchy.
#[derive(Debug, Clone)]
pub struct Geography<'a> {
    regions: HashMap<&'a str, &'a Region>,
    neighbours: HashSet<(&'a str, &'a str)>,
    country: Option<&'a str>,
}

impl<'a> Geography<'a> {
    /// `country` is the home country (the workspace's `country`); without it, the country
    /// of a region is its top-most ancestor.
    pub fn new(regions: &'a [Region], country: Option<&'a str>) -> Self {
        let mut neighbours = HashSet::new();
        for r in regions {
            for n in &r.neighbours {
                neighbours.insert((r.id.as_str(), n.as_str()));
                neighbours.insert((n.as_str(), r.id.as_str()));
            }
        }
        Geography {
            regions: regions.iter().map(|r| (r.id.as_str(), r)).collect(),
            neighbours,
            country,
        }
    }

    pub fn region(&self, id: &str) -> Option<&'a Region> {
        self.regions.get(id).copied()
    }

    /// `id` and its ancestors, nearest first (stops at unknown parents and at cycles).
    pub fn ancestors(&self, id: &'a str) -> Vec<&'a str> {
        let mut out = vec![id];
        let mut cur = id;
        while let Some(p) = self.region(cur).and_then(|r| r.parent.as_deref()) {
            if out.contains(&p) {
                break;
            }
            out.push(p);
            cur = p;
        }
        out
    }

    /// Whether region `id` is `area` or lies inside it.
    pub fn within(&self, id: &str, area: &str) -> bool {
        let mut cur = id;
        for _ in 0..=self.regions.len() {
            if cur == area {
                return true;
            }
            match self.region(cur).and_then(|r| r.parent.as_deref()) {
                Some(p) => cur = p,
                None => return false,
            }
        }
        false
    }

    /// The ancestor-or-self of `id` at `level`, if any.
    pub fn at_level(&self, id: &'a str, level: RegionLevel) -> Option<&'a str> {
        self.ancestors(id)
            .into_iter()
            .find(|a| self.region(a).is_some_and(|r| r.level == level))
    }

    /// The country `id` lies in: its country-level ancestor, else its top-most ancestor.
    pub fn country_of(&self, id: &'a str) -> &'a str {
        self.at_level(id, RegionLevel::Country)
            .unwrap_or_else(|| *self.ancestors(id).last().unwrap_or(&id))
    }

    /// Whether `id` lies in the home country (the configured one, else the one of `home`).
    pub fn domestic(&self, id: &'a str, home: &'a str) -> bool {
        match self.country {
            Some(c) => self.within(id, c),
            None => self.country_of(id) == self.country_of(home),
        }
    }

    /// Distance class of a firm in `from` serving a place in `to`.
    pub fn distance(&self, from: &'a str, to: &'a str) -> DistanceClass {
        let city = |r| self.at_level(r, RegionLevel::City);
        let province = |r| self.at_level(r, RegionLevel::Province);
        if from == to || city(from).is_some() && city(from) == city(to) {
            return DistanceClass::SameCity;
        }
        match (province(from), province(to)) {
            (Some(a), Some(b)) if a == b => return DistanceClass::SameProvince,
            (Some(a), Some(b)) if self.neighbours.contains(&(a, b)) => {
                return DistanceClass::NeighbouringProvince;
            }
            _ => {}
        }
        if self.domestic(from, to) && self.domestic(to, to) {
            DistanceClass::Country
        } else {
            DistanceClass::Abroad
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn region(
        id: &str,
        level: RegionLevel,
        parent: Option<&str>,
        neighbours: &[&str],
    ) -> Region {
        Region {
            id: id.into(),
            name: id.into(),
            level,
            parent: parent.map(Into::into),
            group: None,
            neighbours: neighbours.iter().map(|s| (*s).into()).collect(),
            latitude: None,
            longitude: None,
        }
    }

    pub(crate) fn regions() -> Vec<Region> {
        use RegionLevel::*;
        vec![
            region("china", Country, None, &[]),
            region("zhejiang", Province, Some("china"), &["jiangsu"]),
            region("jiangsu", Province, Some("china"), &[]),
            region("guangdong", Province, Some("china"), &[]),
            region("hangzhou", City, Some("zhejiang"), &[]),
            region("ningbo", City, Some("zhejiang"), &[]),
            region("suzhou", City, Some("jiangsu"), &[]),
            region("shenzhen", City, Some("guangdong"), &[]),
            region("germany", Country, None, &[]),
        ]
    }

    #[test]
    fn distance_classes_follow_the_hierarchy() {
        let r = regions();
        let g = Geography::new(&r, Some("china"));
        assert!(g.within("hangzhou", "zhejiang"));
        assert!(!g.within("zhejiang", "hangzhou"));
        assert_eq!(g.distance("hangzhou", "hangzhou"), DistanceClass::SameCity);
        assert_eq!(
            g.distance("ningbo", "hangzhou"),
            DistanceClass::SameProvince
        );
        assert_eq!(
            g.distance("zhejiang", "hangzhou"),
            DistanceClass::SameProvince
        );
        assert_eq!(
            g.distance("suzhou", "hangzhou"),
            DistanceClass::NeighbouringProvince
        );
        assert_eq!(g.distance("shenzhen", "hangzhou"), DistanceClass::Country);
        assert_eq!(g.distance("germany", "hangzhou"), DistanceClass::Abroad);
        assert_eq!(g.country_of("ningbo"), "china");
    }
}
