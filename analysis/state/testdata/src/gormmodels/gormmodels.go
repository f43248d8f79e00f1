// Package gormmodels shows GORM model types read for data ownership:
// tables are named by GORM's convention (snake_case, plural) unless the
// type has a TableName method returning a constant.
package gormmodels

import "gorm.io/gorm"

type User struct {
	gorm.Model
	Name string
}

type OrderLine struct {
	gorm.Model
	SKU string
}

type Category struct {
	gorm.Model
}

// Address keeps its table name in a method.
type Address struct{ Street string }

func (Address) TableName() string { return "shipping_addresses" }

func Migrate(db *gorm.DB) error {
	return db.AutoMigrate(&User{}, &OrderLine{}, &Category{}, &Address{}) // want `info: Migrate writes categories, order_lines, shipping_addresses, users via gorm`
}

func FindUser(db *gorm.DB, id uint) (User, error) {
	var u User
	err := db.Where("id = ?", id).First(&u).Error // want `info: FindUser reads users via gorm`
	return u, err
}

func Rename(db *gorm.DB, id uint, name string) error {
	return db.Model(&User{}).Where("id = ?", id).Update("name", name).Error // want `info: Rename writes users via gorm`
}

func AddLine(db *gorm.DB, l *OrderLine) error {
	return db.Create(l).Error // want `info: AddLine writes order_lines via gorm`
}

func Lines(db *gorm.DB) (n int64) {
	db.Table("order_lines").Count(&n) // want `info: Lines reads order_lines via gorm`
	return n
}

func Categories(db *gorm.DB) (cs []Category) {
	db.Find(&cs) // want `info: Categories reads categories via gorm`
	return cs
}

// Raw SQL through GORM is read like any SQL; the Scan that follows is not
// counted twice.
func Totals(db *gorm.DB) (t []float64) {
	db.Raw("SELECT total FROM orders").Scan(&t) // want `info: Totals reads orders via gorm`
	return t
}

// Unknown tables: the model is an interface value.
func Save(db *gorm.DB, v any) error {
	return db.Save(v).Error // want `info: gorm.DB.Save in Save: unknown tables \(the model is not known statically\)`
}
