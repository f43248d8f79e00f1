// Package redis stands in for the client of a remote cache: its calls
// take a context and answer commands that carry errors.
package redis

import (
	"context"
	"time"
)

type Client struct{ addr string }

type StringCmd struct{ val string }

func (c *StringCmd) Result() (string, error) { return c.val, nil }

type StatusCmd struct{}

func NewClient(addr string) *Client { return &Client{addr: addr} }

func (c *Client) Get(ctx context.Context, key string) *StringCmd { return &StringCmd{} }

func (c *Client) Set(ctx context.Context, key string, value any, exp time.Duration) *StatusCmd {
	return &StatusCmd{}
}
