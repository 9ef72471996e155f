//! The one seeded pseudo-random source of ChainLens: every random draw — Monte Carlo
//! replicates of the index and of the risk register, permutation inference, synthetic
//! tables and networks for benchmarks — goes through this module, so a seed means the same
//! stream in every crate and on every platform, with no dependency.
//!
//! - [`splitmix64`] / [`SplitMix64`]: SplitMix64 (Steele, Lea & Flood 2014), one 64-bit
//!   state: `s += 0x9E3779B97F4A7C15`, then two xor-shift-multiply rounds. Used to seed
//!   and for cheap synthetic data.
//! - [`Rng`]: xoshiro256** (Blackman & Vigna 2018), 256-bit state seeded by four
//!   SplitMix64 steps as its authors recommend; period 2²⁵⁶ − 1, for the Monte Carlo.
//!
//! Both give `uniform()` in [0, 1) from the top 53 bits (`(x >> 11)·2⁻⁵³`) and
//! `below(n)` in `0..n` by Lemire's multiply-high (`⌊x·n / 2⁶⁴⌋`, bias below n·2⁻⁶⁴,
//! no division). Every step is O(1).

/// One step of SplitMix64 on `state`: advances it and returns the next output.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform draw in [0, 1) from the top 53 bits of `x`.
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform draw in `0..n` from `x` (Lemire's multiply-high); `n = 0` gives 0.
fn bounded(x: u64, n: usize) -> usize {
    ((x as u128 * n as u128) >> 64) as usize
}

/// SplitMix64 as a generator: small, fast, deterministic.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator whose first output is `splitmix64` of `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        splitmix64(&mut self.0)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        unit(self.next_u64())
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        bounded(self.next_u64(), n)
    }
}

/// xoshiro256** state.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator seeded by four SplitMix64 steps from `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        Rng {
            s: [
                splitmix64(&mut x),
                splitmix64(&mut x),
                splitmix64(&mut x),
                splitmix64(&mut x),
            ],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        unit(self.next_u64())
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        bounded(self.next_u64(), n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_streams() {
        // splitmix64 from seed 0 and 1234567 (Vigna's reference implementation, splitmix64.c).
        let mut x = 0;
        assert_eq!(splitmix64(&mut x), 0xE220_A839_7B1D_CDAF);
        let mut s = SplitMix64::new(1_234_567);
        let first: Vec<u64> = (0..3).map(|_| s.next_u64()).collect();
        assert_eq!(
            first,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423
            ]
        );
        // xoshiro256** with the state [1, 2, 3, 4] (Vigna's xoshiro256starstar.c): the
        // first outputs are 11520, 0 and 1509978240.
        let mut r = Rng { s: [1, 2, 3, 4] };
        assert_eq!(
            [r.next_u64(), r.next_u64(), r.next_u64()],
            [11_520, 0, 1_509_978_240]
        );
    }

    #[test]
    fn draws_are_in_range_and_deterministic() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.next_u64(), b.next_u64());
        let u: Vec<f64> = (0..10_000).map(|_| a.uniform()).collect();
        assert!(u.iter().all(|x| (0.0..1.0).contains(x)));
        assert!((u.iter().sum::<f64>() / 10_000.0 - 0.5).abs() < 0.02);
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            counts[a.below(3)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_000..11_000).contains(&c)),
            "{counts:?}"
        );
        assert_eq!(a.below(0), 0);
        assert_eq!(SplitMix64::new(3).below(1), 0);
    }
}
