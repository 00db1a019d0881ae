//! Fleets: shards, federation and remote write (see below).
