// Package assets embeds the program's data: the land-use catalogue and the
// sample plans installed on first run.
package assets

import "embed"

// LandUse is the land-use catalogue (landuse.json), read with landuse.Parse.
//
//go:embed landuse.json
var LandUse []byte

// Samples holds the folder sample/: sample/plans.json (read with
// sample.ParseManifest) and the GeoJSON layers it names. The manifest's paths
// are relative to sample/, so open them through fs.Sub(Samples, "sample").
//
//go:embed sample
var Samples embed.FS

// CADLayers holds the presets of CAD layer names (cad-layers.csv): what
// common layer names of consultants' drawings become, read with
// cadplan.ParseTable.
//
//go:embed cad-layers.csv
var CADLayers []byte
