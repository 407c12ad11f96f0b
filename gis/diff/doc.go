// Package diff tells what changed between two versions of a layer (features
// added, removed and modified, splits and merges) and draws up the land-use
// balance table of a plan and of an adjustment.
//
// Design notes.
//
// Features are matched by id, the stable UUID the store keeps across edits.
// Geometries are compared coordinate by coordinate, exactly: both versions
// are projected from the same stored WGS84 text, so an unchanged body gives
// bit-identical coordinates and any tolerance would only hide real edits.
// Properties are compared as decoded JSON values by a typed comparator (no
// reflection on the common types); a null and an absent key count as the
// same, so that a change never reads "[nil, nil]".
//
// Lineage (which old lots a new lot comes from) is given by the dossier, or
// by a "parents" property on an added lot. Only links that the diff itself
// explains form Groups: the parent must be in the old version, the child in
// the new one, and one of them must have appeared or disappeared. A
// "parents" property that an unchanged lot has carried since an older split
// therefore does not show up as a new split.
//
// Areas are gis.Area, planar, in the units of the projected coordinates
// (m² in EPSG:9215); balance tables keep hectares unrounded, their totals
// are the sums of their rows, and Balance.Rounded rounds for print so that
// the printed rows still add up (largest remainder).
//
// Speed: diffing two 100 000-lot versions and drawing up both balance
// tables is bounded by memory, not arithmetic (each lot is a map and a few
// slices somewhere on the heap). Layers compares matched pairs on all
// processors; Compare computes areas on other goroutines while the calling
// goroutine runs the caller's classifier, which is therefore never called
// concurrently and need not be safe for it (calling it on both processors
// was measured: no faster, the memory is the bottleneck).
package diff
