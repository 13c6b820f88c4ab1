package transfer_test

// Benchmarks of the export and the import against a demo venue of a million
// clients (CL-17, CL-18 acceptance: 100,000 clients to XLSX in under 10 s,
// 100,000 rows imported in under 15 s). The venue is db.BenchVenue, which
// db's benchmarks use too, cached in os.TempDir(); set
// LOYALTYDESK_BENCH_CLIENTS for a smaller one:
//
//	go test -tags ci -run '^$' -bench . -benchtime 1x ./app/transfer/
//
// The import writes into a copy of the venue made before the timer starts.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"loyaltydesk/app"
	"loyaltydesk/app/transfer"
	"loyaltydesk/db"
)

// benchRows is how many clients an export or import moves.
const benchRows = 100_000

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchVenuePath returns the cached venue's file, building it if missing.
func benchVenuePath(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() { benchPath, benchErr = db.BenchVenue(b.Logf) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

// openVenue opens the venue at path.
func openVenue(b *testing.B, path string) (*db.Store, *app.Clients) {
	b.Helper()
	s, err := db.Open(context.Background(), path, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s, app.NewClients(s, app.SystemClock{})
}

// benchExportQuery selects about a tenth of the venue: the clients with a
// birthday in the 43 days from 1 January.
var benchExportQuery = app.ClientQuery{Filter: app.ClientFilter{BirthdayFrom: 101, BirthdayTo: 212}}

// BenchmarkExportXLSX100k exports about 100,000 of a million clients to XLSX
// with the list's default columns and the tags (read in batches).
func BenchmarkExportXLSX100k(b *testing.B) {
	store, clients := openVenue(b, benchVenuePath(b))
	defer store.Close()
	ctx := context.Background()
	n, err := clients.Count(ctx, benchExportQuery)
	if err != nil {
		b.Fatal(err)
	}
	cols := append(append([]string(nil), app.DefaultColumns...), app.ColTags, app.ColGender)
	for _, format := range []transfer.Format{transfer.XLSX, transfer.CSV} {
		b.Run(string(format), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "clients."+string(format))
			for b.Loop() {
				got, err := transfer.Export(ctx, clients, benchExportQuery, cols, path, transfer.ExportOptions{Format: format})
				if err != nil {
					b.Fatal(err)
				}
				if got != n {
					b.Fatalf("exported %d rows, want %d", got, n)
				}
			}
			fi, _ := os.Stat(path)
			b.ReportMetric(float64(n), "rows")
			b.ReportMetric(float64(fi.Size())/(1<<20), "MiB")
		})
	}
}

// BenchmarkImport100k imports 100,000 rows into a copy of the million-client
// venue: reading the file, mapping, checking every row for duplicates against
// the base and the file, and writing them in one transaction. One row in ten
// is a client the venue has (by phone), which is skipped.
func BenchmarkImport100k(b *testing.B) {
	venue := benchVenuePath(b)
	dir := b.TempDir()
	phones := benchPhones(b, venue, benchRows/10)
	files := map[transfer.Format]string{
		transfer.CSV:  filepath.Join(dir, "clients.csv"),
		transfer.XLSX: filepath.Join(dir, "clients.xlsx"),
	}
	if err := writeBenchCSV(files[transfer.CSV], phones); err != nil {
		b.Fatal(err)
	}
	if err := writeBenchXLSX(files[transfer.XLSX], files[transfer.CSV]); err != nil {
		b.Fatal(err)
	}
	for _, format := range []transfer.Format{transfer.CSV, transfer.XLSX} {
		b.Run(string(format), func(b *testing.B) {
			var rep app.ImportReport
			// How long each stage took: reading and mapping the file, and from
			// the start of the import to the end of checking, of writing, and
			// of the import (the commit).
			stages := map[app.ImportStage]time.Duration{}
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				copyPath := filepath.Join(dir, "venue.db")
				if err := copyFile(venue, copyPath); err != nil {
					b.Fatal(err)
				}
				store, clients := openVenue(b, copyPath)
				svc := transfer.NewService(clients)
				ctx := app.WithActor(context.Background(), "bench")
				b.StartTimer()

				startRead := time.Now()
				t, err := svc.Read(ctx, files[format], transfer.ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				mapping, err := svc.AutoMap(ctx, t)
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				rep, err = svc.Import(ctx, t, app.ImportOptions{Mapping: mapping, Progress: func(p app.ImportProgress) {
					if p.Done == p.Total {
						stages[p.Stage] = time.Since(start)
					}
				}})
				stages["import"] = time.Since(start)
				stages[app.StageRead] = start.Sub(startRead)
				if err != nil {
					b.Fatal(err)
				}

				b.StopTimer()
				if err := store.Close(); err != nil {
					b.Fatal(err)
				}
				for _, suffix := range []string{"", "-wal", "-shm"} {
					os.Remove(copyPath + suffix)
				}
				b.StartTimer()
			}
			if !rep.Written || rep.Rejected != 0 || rep.Created != benchRows-len(phones) || rep.Skipped != len(phones) {
				b.Fatalf("report: created %d, skipped %d, rejected %d (%v), written %v",
					rep.Created, rep.Skipped, rep.Rejected, firstProblems(rep), rep.Written)
			}
			b.ReportMetric(float64(benchRows), "rows")
			b.ReportMetric(stages[app.StageRead].Seconds(), "read-s")
			b.ReportMetric(stages[app.StageCheck].Seconds(), "checked-s")
			b.ReportMetric(stages[app.StageWrite].Seconds(), "written-s")
			b.ReportMetric(stages["import"].Seconds(), "committed-s")
		})
	}
}

func firstProblems(rep app.ImportReport) []app.ImportProblem {
	return rep.Problems[:min(len(rep.Problems), 3)]
}

// benchPhones returns n phones of clients of the venue, as people type them.
func benchPhones(b *testing.B, path string, n int) []string {
	b.Helper()
	store, clients := openVenue(b, path)
	defer store.Close()
	var out []string
	errEnough := errors.New("enough")
	i := 0
	err := clients.Each(context.Background(), app.ClientQuery{Sort: app.SortCreated}, func(c app.Client) error {
		if i++; c.Phone != "" && i%7 == 0 {
			d := strings.TrimPrefix(c.Phone, "+7")
			out = append(out, "8 ("+d[:3]+") "+d[3:6]+"-"+d[6:8]+"-"+d[8:])
		}
		if len(out) == n {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		b.Fatal(err)
	}
	return out
}

var (
	benchLast   = []string{"Смирнов", "Иванова", "Кузнецов", "Попова", "Васильев", "Петрова", "Соколов", "Михайлова"}
	benchFirst  = []string{"Александр", "Мария", "Дмитрий", "Анна", "Сергей", "Елена", "Андрей", "Ольга"}
	benchGender = []string{"м", "ж", "м", "ж", "М", "Ж", "муж", "жен"}
)

// writeBenchCSV writes benchRows rows as Russian Excel saves them: names,
// phone, e-mail, gender, birth date, card, tags, SMS; the rows with one of
// phones are clients the venue has.
func writeBenchCSV(path string, phones []string) error {
	var sb strings.Builder
	sb.WriteString("\uFEFFФамилия;Имя;Телефон;E-mail;Пол;Дата рождения;Карта;Теги;SMS\r\n")
	for i := range benchRows {
		phone := fmt.Sprintf("+7 495 %03d-%02d-%02d", 100+i/10000, i/100%100, i%100)
		if i%10 == 9 && i/10 < len(phones) {
			phone = phones[i/10]
		}
		tags := ""
		if i%3 == 0 {
			tags = "импорт, весна"
		}
		fmt.Fprintf(&sb, "%s;%s;%s;guest%06d@example.ru;%s;%02d.%02d.%d;IMP-%07d;%s;%s\r\n",
			benchLast[i%8], benchFirst[i/8%8], phone, i, benchGender[i%8], 1+i%28, 1+i%12, 1950+i%55, i, tags,
			[]string{"да", "нет"}[i%2])
	}
	return os.WriteFile(path, []byte(sb.String()), 0o600)
}

// writeBenchXLSX writes the CSV's rows to a workbook, the birth dates as
// date cells.
func writeBenchXLSX(path, csvPath string) error {
	t, err := transfer.ReadFile(context.Background(), csvPath, transfer.ReadOptions{})
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	dateFmt := "dd.mm.yyyy"
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	row := make([]any, len(t.Header))
	for i, h := range t.Header {
		row[i] = h
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for n, r := range t.Rows {
		for i, c := range r.Cells {
			row[i] = c
		}
		d, err := app.ParseDate(r.Cells[5])
		if err != nil {
			return err
		}
		row[5] = excelize.Cell{StyleID: style, Value: d.Time(time.UTC)}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	// Written back before the timer starts, so the import does not wait on
	// the copy's writes.
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
