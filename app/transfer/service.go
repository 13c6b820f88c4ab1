package transfer

import (
	"context"

	"loyaltydesk/app"
)

// Service is the import and export of clients as the UI and the command line
// use them, over the client use cases.
type Service struct {
	clients *app.Clients
}

// NewService returns the import and export over clients.
func NewService(clients *app.Clients) *Service { return &Service{clients: clients} }

// Export writes the clients q selects to path; see Export.
func (s *Service) Export(ctx context.Context, q app.ClientQuery, columns []string, path string, opt ExportOptions) (int, error) {
	return Export(ctx, s.clients, q, columns, path, opt)
}

// Read reads an import file; see ReadFile.
func (s *Service) Read(ctx context.Context, path string, opt ReadOptions) (app.ImportTable, error) {
	return ReadFile(ctx, path, opt)
}

// AutoMap guesses the field of each column of t, knowing the variable names
// in use.
func (s *Service) AutoMap(ctx context.Context, t app.ImportTable) ([]string, error) {
	dir, err := s.clients.Directory(ctx)
	if err != nil {
		return nil, err
	}
	return app.AutoMap(t.Header, dir.Variables), nil
}

// Import imports t; see app.Clients.Import.
func (s *Service) Import(ctx context.Context, t app.ImportTable, opt app.ImportOptions) (app.ImportReport, error) {
	return s.clients.Import(ctx, t, opt)
}
