package scaffold

// The generated modules require github.com/aws/aws-lambda-go; importing it
// here puts it in this module's go.mod and go.sum, so that `go mod download`
// fetches it and the tests build the generated modules offline.
import (
	_ "github.com/aws/aws-lambda-go/events"
	_ "github.com/aws/aws-lambda-go/lambda"
)
