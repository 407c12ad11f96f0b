package sample

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"quyhoach/gis"
)

// Manifest is assets/sample/plans.json: the sample plans, their versions in
// order (each the parent of the next) and the GeoJSON file of each layer.
type Manifest struct {
	Note  string `json:"note"`
	Plans []Plan `json:"plans"`
}

// Plan is one sample plan; Dossiers are its dossiers still open.
type Plan struct {
	Code     string    `json:"code"`  // e.g. "truc-trung-tam"
	Name     string    `json:"name"`  // full Vietnamese name
	Level    string    `json:"level"` // general | zoning | detailed
	Scale    int       `json:"scale"` // denominator: 2000 for 1/2000
	CRS      int       `json:"crs"`   // EPSG code of the plan's official grid and of the files: 9215
	Area     string    `json:"area"`  // where it is
	Note     string    `json:"note"`  // says the data is illustrative
	Versions []Version `json:"versions"`
	// Dossiers are open on the last version, in the order they are created.
	Dossiers []Dossier `json:"dossiers,omitempty"`
}

// Version is one approved version of a sample plan.
type Version struct {
	Message      string `json:"message"`
	Source       string `json:"source"`        // import
	Decision     string `json:"decision"`      // "Quyết định số 712/QĐ-UBND"
	DecisionDate string `json:"decision_date"` // YYYY-MM-DD
	MaThongTinQH string `json:"ma_thong_tin_qh"`
	MaHoSoQH     string `json:"ma_ho_so_qh"`
	// Layers maps a layer name (ChucNangSuDungDat_A, …) to its GeoJSON file,
	// relative to the folder of plans.json.
	Layers map[string]string `json:"layers"`
	// Dossier, when set, is the adjustment dossier whose approval made this
	// version from the previous one: its Layers are the layers as adjusted.
	Dossier *Dossier `json:"dossier,omitempty"`
}

// Dossier is a sample adjustment dossier with its history.
type Dossier struct {
	Title  string `json:"title"`
	Kind   string `json:"kind"` // local | overall
	Reason string `json:"reason"`
	Code   string `json:"code"` // maHoSoQH
	// Layers maps a layer to its GeoJSON as the dossier proposes it: the
	// whole layer, matched to the base by maDoiTuong (lineage in "parents"
	// names lot codes). A version's dossier takes the version's layers.
	Layers      map[string]string `json:"layers,omitempty"`
	Steps       []Step            `json:"steps"`
	Attachments []Attachment      `json:"attachments,omitempty"`
}

// Step is an approval step taken on a sample dossier.
type Step struct {
	Action string `json:"action"` // submit | appraise | appraised | approve | publish | return | withdraw
	At     string `json:"at"`     // YYYY-MM-DD the step was taken
	Doc    string `json:"doc,omitempty"`
	Date   string `json:"date,omitempty"` // document date
	By     string `json:"by"`
	Note   string `json:"note,omitempty"`
}

// Attachment is a document of a sample dossier, a file in the sample folder.
type Attachment struct {
	Kind string `json:"kind"`
	File string `json:"file"`
}

// Open reads the manifest of a sample folder: fsys holds plans.json at its
// root or, as assets.Samples does, under sample/. It returns the manifest and
// the folder holding it, from which the layer paths open.
func Open(fsys fs.FS) (*Manifest, fs.FS, error) {
	for _, dir := range []string{".", "sample"} {
		sub, err := fs.Sub(fsys, dir)
		if err != nil {
			return nil, nil, fmt.Errorf("sample: %w", err)
		}
		data, err := fs.ReadFile(sub, ManifestFile)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("sample: %w", err)
		}
		m, err := ParseManifest(data)
		return m, sub, err
	}
	return nil, nil, fmt.Errorf("sample: no %s in the folder or in sample/: %w", ManifestFile, fs.ErrNotExist)
}

// ManifestFile is the name of the manifest in the sample folder.
const ManifestFile = "plans.json"

// Limits of ParseManifest.
const (
	maxManifestBytes = 1 << 20
	maxPlans         = 1000
	maxVersions      = 1000
	maxLayers        = 100
	maxDossiers      = 100
	maxSteps         = 100
	maxAttachments   = 100
)

// actions are the approval steps a sample dossier may take (the store's).
var actions = []string{"submit", "appraise", "appraised", "approve", "publish", "return", "withdraw"}

// attachmentKinds are the documents a sample dossier may carry (the store's).
var attachmentKinds = []string{"to_trinh", "thuyet_minh", "ban_ve", "du_thao_quyet_dinh",
	"quy_dinh_quan_ly", "y_kien", "bao_cao_tham_dinh", "quyet_dinh"}

// ParseManifest reads and checks plans.json: plan codes unique and without
// spaces or slashes, a known level, a positive scale, at least one version,
// 12-digit maThongTinQH codes, and layer files given as clean relative paths.
// Dossiers need a title, a known kind, known actions and attachment kinds,
// steps in date order and clean relative paths; a version's dossier (never
// the first version's) takes the version's layers and includes the approval,
// an open dossier has its own layers and is not approved.
func ParseManifest(data []byte) (*Manifest, error) {
	if len(data) > maxManifestBytes {
		return nil, fmt.Errorf("sample: manifest of %d bytes, more than %d", len(data), maxManifestBytes)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("sample: manifest: %w", err)
	}
	if dec.More() {
		return nil, errors.New("sample: manifest: data after the object")
	}
	if len(m.Plans) > maxPlans {
		return nil, fmt.Errorf("sample: manifest: %d plans, more than %d", len(m.Plans), maxPlans)
	}
	seen := map[string]bool{}
	for i, p := range m.Plans {
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("sample: manifest: plan %d (%s): %w", i+1, p.Code, err)
		}
		if seen[p.Code] {
			return nil, fmt.Errorf("sample: manifest: plan %d: code %s used twice", i+1, p.Code)
		}
		seen[p.Code] = true
	}
	return &m, nil
}

func (p Plan) check() error {
	switch {
	case p.Code == "" || strings.ContainsAny(p.Code, " \t\r\n/\\"):
		return errors.New("code must be non-empty without spaces or slashes")
	case p.Name == "":
		return errors.New("name missing")
	case p.Level != "general" && p.Level != "zoning" && p.Level != "detailed":
		return fmt.Errorf("level %q is not general, zoning or detailed", p.Level)
	case p.Scale <= 0:
		return fmt.Errorf("scale %d: want a positive denominator", p.Scale)
	case p.CRS <= 0:
		return fmt.Errorf("crs %d: want an EPSG code", p.CRS)
	case len(p.Versions) == 0:
		return errors.New("no versions")
	case len(p.Versions) > maxVersions:
		return fmt.Errorf("%d versions, more than %d", len(p.Versions), maxVersions)
	}
	for i, v := range p.Versions {
		if err := v.check(); err != nil {
			return fmt.Errorf("version %d: %w", i+1, err)
		}
		if v.Dossier == nil {
			continue
		}
		if i == 0 {
			return errors.New("version 1 cannot come from a dossier")
		}
		if err := v.Dossier.check(true); err != nil {
			return fmt.Errorf("version %d: dossier: %w", i+1, err)
		}
	}
	if len(p.Dossiers) > maxDossiers {
		return fmt.Errorf("%d dossiers, more than %d", len(p.Dossiers), maxDossiers)
	}
	for i, d := range p.Dossiers {
		if err := d.check(false); err != nil {
			return fmt.Errorf("dossier %d: %w", i+1, err)
		}
	}
	return nil
}

func (d Dossier) check(version bool) error {
	switch {
	case strings.TrimSpace(d.Title) == "":
		return errors.New("title missing")
	case d.Kind != "local" && d.Kind != "overall":
		return fmt.Errorf("kind %q is not local or overall", d.Kind)
	case len(d.Code) > 15:
		return fmt.Errorf("code %q: longer than 15 characters", d.Code)
	case version && len(d.Layers) > 0:
		return errors.New("layers given: a version's dossier takes the version's layers")
	case len(d.Layers) > maxLayers:
		return fmt.Errorf("%d layers, more than %d", len(d.Layers), maxLayers)
	case len(d.Steps) > maxSteps:
		return fmt.Errorf("%d steps, more than %d", len(d.Steps), maxSteps)
	case len(d.Attachments) > maxAttachments:
		return fmt.Errorf("%d attachments, more than %d", len(d.Attachments), maxAttachments)
	}
	if err := checkLayerFiles(d.Layers); err != nil {
		return err
	}
	approved, prev := false, ""
	for i, s := range d.Steps {
		if !slices.Contains(actions, s.Action) {
			return fmt.Errorf("step %d: action %q is not one of %s", i+1, s.Action, strings.Join(actions, ", "))
		}
		if _, err := time.Parse(time.DateOnly, s.At); err != nil {
			return fmt.Errorf("step %d (%s): at %q is not YYYY-MM-DD", i+1, s.Action, s.At)
		}
		if s.Date != "" {
			if _, err := time.Parse(time.DateOnly, s.Date); err != nil {
				return fmt.Errorf("step %d (%s): date %q is not YYYY-MM-DD", i+1, s.Action, s.Date)
			}
		}
		if s.At < prev {
			return fmt.Errorf("step %d (%s): at %s is before the previous step's %s", i+1, s.Action, s.At, prev)
		}
		prev = s.At
		approved = approved || s.Action == "approve"
	}
	switch {
	case version && !approved:
		return errors.New("a version's dossier must be approved (no approve step)")
	case !version && approved:
		return errors.New("an open dossier cannot be approved: make it a version's dossier")
	}
	for i, a := range d.Attachments {
		if !slices.Contains(attachmentKinds, a.Kind) {
			return fmt.Errorf("attachment %d: kind %q is not one of %s", i+1, a.Kind, strings.Join(attachmentKinds, ", "))
		}
		if !cleanPath(a.File) {
			return fmt.Errorf("attachment %d: file %q is not a clean relative path", i+1, a.File)
		}
	}
	return nil
}

// cleanPath reports whether a file is named by a clean relative slash path
// inside the sample folder.
func cleanPath(file string) bool {
	return file != "" && !path.IsAbs(file) && path.Clean(file) == file && file != ".." &&
		!strings.HasPrefix(file, "../") && !strings.Contains(file, "\\")
}

func checkLayerFiles(layers map[string]string) error {
	for name, file := range layers {
		if name == "" || strings.ContainsAny(name, " /\\") {
			return fmt.Errorf("layer name %q", name)
		}
		if !cleanPath(file) {
			return fmt.Errorf("layer %s: file %q is not a clean relative path", name, file)
		}
	}
	return nil
}

func (v Version) check() error {
	if len(v.MaThongTinQH) != 12 || strings.Trim(v.MaThongTinQH, "0123456789") != "" {
		return fmt.Errorf("ma_thong_tin_qh %q: want 12 digits", v.MaThongTinQH)
	}
	if len(v.MaHoSoQH) > 15 {
		return fmt.Errorf("ma_ho_so_qh %q: longer than 15 characters", v.MaHoSoQH)
	}
	if len(v.Layers) == 0 {
		return errors.New("no layers")
	}
	if len(v.Layers) > maxLayers {
		return fmt.Errorf("%d layers, more than %d", len(v.Layers), maxLayers)
	}
	return checkLayerFiles(v.Layers)
}

// LayerNames returns the version's layer names in drawing order: areas
// before lines, the plan boundary last of the areas, then by name.
func (v Version) LayerNames() []string {
	var names []string
	for n := range v.Layers {
		names = append(names, n)
	}
	rank := func(n string) int {
		switch {
		case n == BoundaryLayer:
			return 1
		case gis.KindOfName(n) == gis.AreaKind:
			return 0
		case gis.KindOfName(n) == gis.LineKind:
			return 2
		}
		return 3
	}
	sort.Slice(names, func(i, j int) bool {
		if ri, rj := rank(names[i]), rank(names[j]); ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	return names
}
