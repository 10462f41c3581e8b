# code.store on Kubernetes. The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
MVN ?= mvn -B -ntp
CACHE ?= $(HOME)/.cache/codestore

.PHONY: run test build crds kubernetes stop clean help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

run: ## start a local control plane (or use $$KUBECONFIG), install CRDs, run the operator, apply examples/
	e2e/scripts/run-local.sh

stop: ## stop what `make run` started
	e2e/scripts/run-local.sh stop

test: kubernetes ## every test tier: unit, schema compiler, operator against a real kube-apiserver
	$(MVN) install

build: ## build the operator (operator/target/quarkus-app/quarkus-run.jar) without tests
	$(MVN) install -DskipTests

crds: ## regenerate crds/ from the API classes
	$(MVN) -q -pl api -am install -DskipTests
	$(MVN) -q -pl api test-compile exec:java

kubernetes: ## build (once, cached in ~/.cache/codestore) the Kubernetes 1.20.2 binaries the tests run
	e2e/scripts/build-kubernetes.sh

clean: ## remove build output (not the cached Kubernetes binaries)
	$(MVN) -q clean
