package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"time"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/gis/sample"
)

// InstallSamples creates the sample plans described by the manifest in fsys
// (assets.Samples): each plan with its versions, a version made by a dossier
// through that dossier's whole approval history, and the plan's open
// dossiers. All of it is one transaction.
func (s *Store) InstallSamples(ctx context.Context, fsys fs.FS) error {
	m, dir, err := sample.Open(fsys)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, p := range m.Plans {
			if err := s.installPlan(ctx, tx, dir, p); err != nil {
				return fmt.Errorf("sample plan %s: %w", p.Code, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: install samples: %w", err)
	}
	return nil
}

func (s *Store) installPlan(ctx context.Context, tx *sql.Tx, dir fs.FS, p sample.Plan) error {
	now := s.Now()
	plan := Plan{Code: p.Code, Name: p.Name, Level: p.Level, Scale: p.Scale, CRS: p.CRS, Area: p.Area, Note: p.Note}
	if err := validatePlan(plan); err != nil {
		return err
	}
	if err := createPlan(ctx, tx, plan, timeText(now)); err != nil {
		return err
	}
	for i, v := range p.Versions {
		layers, err := readSampleLayers(dir, v.LayerNames(), v.Layers)
		if err != nil {
			return err
		}
		if v.Dossier != nil {
			if i == 0 {
				return fmt.Errorf("version 1 cannot come from a dossier")
			}
			d := *v.Dossier
			if _, err := s.installDossier(ctx, tx, p.Code, d, layers, dir, &v); err != nil {
				return fmt.Errorf("version %d: %w", i+1, err)
			}
			continue
		}
		source := v.Source
		if source == "" || source == "import" {
			source = "sample"
		}
		req := ImportRequest{Plan: p.Code, Layers: layers, Key: "maDoiTuong", Message: v.Message, Source: source,
			DecisionNo: v.Decision, DecisionDate: v.DecisionDate, MaThongTinQH: v.MaThongTinQH}
		created := now // a sample version is dated by its decision, like one made by a dossier
		if t, err := time.Parse(time.DateOnly, v.DecisionDate); err == nil {
			created = t.Add(9 * time.Hour)
		}
		sources := make([]LayerSource, len(layers))
		for i, l := range layers {
			sources[i] = Features(l)
		}
		if _, err := importTx(ctx, tx, req, sources, timeText(created)); err != nil {
			return fmt.Errorf("version %d: %w", i+1, err)
		}
	}
	for i, d := range p.Dossiers {
		names := make([]string, 0, len(d.Layers))
		for n := range d.Layers {
			names = append(names, n)
		}
		layers, err := readSampleLayers(dir, names, d.Layers)
		if err != nil {
			return err
		}
		if _, err := s.installDossier(ctx, tx, p.Code, d, layers, dir, nil); err != nil {
			return fmt.Errorf("dossier %d: %w", i+1, err)
		}
	}
	return nil
}

// installDossier creates a dossier on the current version, applies the
// layers (whole layers, matched by lot code), attaches its documents and
// takes its steps at their dates. For a version's dossier the approval uses
// the version's decision.
func (s *Store) installDossier(ctx context.Context, tx *sql.Tx, plan string, d sample.Dossier, layers []gis.Layer, dir fs.FS, v *sample.Version) (int64, error) {
	created := s.Now()
	if len(d.Steps) > 0 {
		if t, err := time.Parse(time.DateOnly, d.Steps[0].At); err == nil {
			created = t.AddDate(0, 0, -7).Add(9 * time.Hour)
		}
	}
	id, err := createDossierTx(ctx, tx, NewDossier{Plan: plan, Kind: d.Kind, Title: d.Title, Reason: d.Reason, Code: d.Code}, created)
	if err != nil {
		return 0, err
	}
	var level string
	if err := tx.QueryRowContext(ctx, "SELECT level FROM plan WHERE code = ?", plan).Scan(&level); err != nil {
		return 0, err
	}
	agencies := DefaultAgencies(level) // a sample plan's agencies are the zone's
	for _, l := range layers {
		if _, err := s.applyTx(ctx, tx, ApplyRequest{Dossier: id, Layer: l.Name, Features: l.Features, Key: "maDoiTuong", Full: true}); err != nil {
			return 0, fmt.Errorf("layer %s: %w", l.Name, err)
		}
	}
	for _, a := range d.Attachments {
		data, err := fs.ReadFile(dir, a.File)
		if err != nil {
			return 0, err
		}
		if _, err := attachTx(ctx, tx, id, a.Kind, baseName(a.File), data, created); err != nil {
			return 0, fmt.Errorf("attachment %s: %w", a.File, err)
		}
	}
	for _, st := range d.Steps {
		at, err := time.Parse(time.DateOnly, st.At)
		if err != nil {
			return 0, fmt.Errorf("step %s: date %q: %w", st.Action, st.At, err)
		}
		step := Step{Action: st.Action, DocNo: st.Doc, DocDate: st.Date, By: st.By, Note: st.Note, Agency: agencies.ForAction(st.Action)}
		if st.Action == "approve" && v != nil {
			step.DocNo, step.DocDate, step.MaThongTinQH = v.Decision, v.DecisionDate, v.MaThongTinQH
		}
		if err := s.advanceTx(ctx, tx, id, step, at.Add(9*time.Hour)); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// readSampleLayers reads layer files (in the plan's grid) into WGS84 layers.
func readSampleLayers(dir fs.FS, names []string, files map[string]string) ([]gis.Layer, error) {
	var out []gis.Layer
	for _, name := range names {
		f, err := dir.Open(files[name])
		if err != nil {
			return nil, err
		}
		col, err := geojson.Read(f, geojson.Options{RequireGeometry: true})
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", files[name], err)
		}
		if err := col.Transform(crs.WGS84); err != nil {
			return nil, err
		}
		out = append(out, gis.Layer{Name: name, Features: col.Features})
	}
	return out, nil
}
