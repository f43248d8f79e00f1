// Package gorm is a stub of gorm.io/gorm's API for the fixtures.
package gorm

import "time"

type Model struct {
	ID        uint
	CreatedAt time.Time
}

type DB struct{ Error error }

func (db *DB) Model(value any) *DB                     { return db }
func (db *DB) Table(name string, args ...any) *DB      { return db }
func (db *DB) Where(query any, args ...any) *DB        { return db }
func (db *DB) First(dest any, conds ...any) *DB        { return db }
func (db *DB) Find(dest any, conds ...any) *DB         { return db }
func (db *DB) Create(value any) *DB                    { return db }
func (db *DB) Save(value any) *DB                      { return db }
func (db *DB) Delete(value any, conds ...any) *DB      { return db }
func (db *DB) Update(column string, value any) *DB     { return db }
func (db *DB) Updates(values any) *DB                  { return db }
func (db *DB) Count(count *int64) *DB                  { return db }
func (db *DB) Raw(sql string, values ...any) *DB       { return db }
func (db *DB) Exec(sql string, values ...any) *DB      { return db }
func (db *DB) Scan(dest any) *DB                       { return db }
func (db *DB) AutoMigrate(dst ...any) error            { return nil }
func (db *DB) Get(name string) (any, bool)             { return nil, false }
func (db *DB) Preload(query string, args ...any) *DB   { return db }
func (db *DB) Transaction(fc func(tx *DB) error) error { return fc(db) }
func Open(dialector any, opts ...any) (*DB, error)     { return &DB{}, nil }
