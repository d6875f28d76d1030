//! Analyses over a [`TrajectoryView`](crate::TrajectoryView): pure functions, no document
//! access. The UI and the report show exactly these results; they never compute their own.

mod brain_crackers;
mod fast_hash;
mod group_suggestion;
mod logbook_totals;
mod market_match;
mod postit_counts;
mod ranking;
mod red_green;
mod satisfaction;
mod voices;

pub use brain_crackers::{BrainCrackerItem, BrainCrackerTally, brain_cracker_tally};
pub use group_suggestion::{SUGGESTED_GROUP_SIZE, suggest_groups};
pub use logbook_totals::{LogbookTotals, QuadrantHours, logbook_totals};
pub use market_match::{
    MarketMatching, OfferCluster, OfferRequestMatch, market_matching, topics_match,
};
pub use postit_counts::{ThemeCount, postits_per_theme};
pub use ranking::{RankingComparison, ThemeScore, compare_rankings};
pub use red_green::{RedGreenDistribution, red_green_distribution};
pub use satisfaction::{SharedSource, shared_satisfaction_sources};
pub use voices::{
    CORE_ROLES, PhaseVoices, SUGGESTED_PARTICIPANTS, VoicesCoverage, voices_coverage,
};
