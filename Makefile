# code.store on Kubernetes. The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
MVN ?= mvn -B -ntp
CACHE ?= $(HOME)/.cache/codestore

.PHONY: run test e2e e2e-kind images cli console browser lua build serve bench bench-runtime bench-operator bench-code bench-storage crds kubernetes stop clean help

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

run: ## the platform on this machine: local one-node cluster, helm install, examples as pods; prints curl lines (make stop ends it)
	e2e/scripts/run-local.sh

stop: ## stop what `make run` started
	e2e/scripts/run-local.sh stop

test: kubernetes browser lua ## every test tier but the node: units, runtime on real Postgres and S3, chart (and its Argo CD health checks in Lua), operator, CLI and console (chromium) on a real kube-apiserver
	$(MVN) install

SERVICE ?= examples/10-shopping-cart.yaml
CODE ?= examples/shopping-cart-code/target/code
PORT ?= 8080
serve: ## run one service on this machine (embedded Postgres + S3, no cluster): make serve SERVICE=examples/20-meeting-rooms.yaml
	$(MVN) -q install -DskipTests -pl runtime-image,examples/shopping-cart-code -am
	$(MVN) -q -pl runtime-image exec:java -Dexec.args="$(abspath $(SERVICE)) $(abspath $(CODE)) $(PORT) $(CACHE)/serve"

BENCH_SCALE ?= 1
BENCH_SECONDS ?= 10
BENCH_SIZES ?= 100,500,1000
bench: bench-runtime bench-operator bench-code bench-storage ## every benchmark; reports in docs/bench/ (~35 min)

bench-runtime: ## the runtime against PostGraphile on one Postgres (~20 min)
	$(MVN) -q install -DskipTests -pl bench -am
	bench/scripts/node-deps.sh
	$(MVN) -q -pl bench exec:java -Dbench.main=store.code.bench.ComparisonBench \
	  -Dcodestore.runtime.jar=$(abspath runtime-image/target/quarkus-app/quarkus-run.jar) \
	  -Dcodestore.bench.node=$(CACHE)/bench/node \
	  -Dcodestore.bench.report=$(abspath docs/bench/runtime-vs-postgraphile.md) \
	  -Dcodestore.bench.scale=$(BENCH_SCALE) -Dcodestore.bench.seconds=$(BENCH_SECONDS)

BEFORE ?=
bench-code: ## what a @code field costs: this runtime, and BEFORE=<another quarkus-run.jar> beside it (~3 min)
	$(MVN) -q install -DskipTests -pl bench,examples/shopping-cart-code -am
	$(MVN) -q -pl bench exec:java -Dbench.main=store.code.bench.MakerCodeBench -Dcodestore.bench.root=$(CURDIR) \
	  -Dexec.args="$(abspath docs/bench/maker-code.md) $(if $(BEFORE),before=$(abspath $(BEFORE))) now=$(abspath runtime-image/target/quarkus-app/quarkus-run.jar)"

bench-storage: ## file PUT/GET directly to S3 and through the storage gateway, side by side (~3 min)
	$(MVN) -q install -DskipTests -pl bench -am
	$(MVN) -q -pl bench exec:java -Dbench.main=store.code.bench.StorageGatewayBench \
	  -Dexec.args="$(abspath docs/bench/storage-gateway.md) $$(ls $(CURDIR)/storage-gateway/target/codestore-storage-gateway-*-gateway.jar)"

bench-operator: kubernetes ## the operator at BENCH_SIZES instances, each size on a fresh local API server (~5 min)
	$(MVN) -q install -DskipTests -pl e2e -am
	$(MVN) -q -pl e2e org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
	  -Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider -Dexec.mainClass=store.code.e2e.OperatorBench -Dexec.args="$(BENCH_SIZES) $(abspath docs/bench/operator.md)"

e2e: build ## the whole path on a local node: cluster up, images, helm install, examples as pods answering GraphQL, cluster down
	e2e/scripts/local-cluster.sh up
	$(MVN) -pl e2e test -Dtest=NodeE2E -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dcodestore.e2e.kubeconfig=$(CACHE)/cluster/kubeconfig; status=$$?; e2e/scripts/local-cluster.sh down; exit $$status

e2e-kind: build ## the same end-to-end test on kind, for machines with Docker (e2e/scripts/kind.sh)
	e2e/scripts/kind.sh

images: build kubernetes ## build the images without Docker into ~/.cache/codestore/images (docker-archive tars)
	e2e/scripts/build-images.sh

cli: ## build the codestore command (bin/codestore, bin/kubectl-codestore run it); docs/cli.md
	$(MVN) -q -pl cli -am package -DskipTests
	@echo "built cli/target/codestore-cli-all.jar: run bin/codestore, or put bin/ on PATH for kubectl codestore"

console: ## the web console on this machine (http://localhost:8090), acting with the token you sign in with; KUBECONFIG says where the API server is (docs/console.md)
	$(MVN) -q -pl console -am package -DskipTests
	java -jar console/target/quarkus-app/quarkus-run.jar

build: ## build everything (operator and runtime in */target/quarkus-app) without tests
	$(MVN) install -DskipTests

crds: ## regenerate crds/ from the API classes
	$(MVN) -q -pl api -am install -DskipTests
	$(MVN) -q -pl api test-compile exec:java

browser: ## install (once) Debian's chromium and chromedriver, which the console's browser tests drive
	e2e/scripts/browser.sh

lua: ## install (once) Debian's lua5.1, which runs the chart's Argo CD health checks in their tests
	e2e/scripts/lua.sh

kubernetes: ## build (once, cached in ~/.cache/codestore) the Kubernetes 1.20.2 binaries the tests run
	e2e/scripts/build-kubernetes.sh

clean: ## remove build output (not the cached Kubernetes binaries)
	$(MVN) -q clean
