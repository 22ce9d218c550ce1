package store

import (
	"context"
	"database/sql"
)

// DecideWaves records the final wave plan of a solution, replacing the
// previous decision.
func (s *DB) DecideWaves(ctx context.Context, solution string, waves map[string]string, source string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM wave_plan WHERE solution = ?`, solution); err != nil {
			return err
		}
		now := s.now()
		for m, w := range waves {
			if _, err := tx.ExecContext(ctx, `INSERT INTO wave_plan (solution, municipality, wave, decided_at, source) VALUES (?, ?, ?, ?, ?)`, solution, m, w, now, source); err != nil {
				return err
			}
		}
		return nil
	})
}

// DecidedWaves returns the decided wave plans: solution → municipality → wave.
func (s *DB) DecidedWaves(ctx context.Context) (map[string]map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT solution, municipality, wave FROM wave_plan ORDER BY solution, municipality`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]string{}
	for rows.Next() {
		var sol, m, w string
		if err := rows.Scan(&sol, &m, &w); err != nil {
			return nil, err
		}
		if out[sol] == nil {
			out[sol] = map[string]string{}
		}
		out[sol][m] = w
	}
	return out, rows.Err()
}
