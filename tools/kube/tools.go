//go:build tools

// Package tools names the programs scripts/install-kube-apiserver builds, so that
// go.mod and go.sum hold every module they need.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
