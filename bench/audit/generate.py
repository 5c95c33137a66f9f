#!/usr/bin/env python3
"""Generates the audit benchmark inputs: a repository of 10,008 Kubernetes objects (~20 MB of YAML) and a Git
history of 1,000 commits. Deterministic (fixed seed). Usage: generate.py OUT_DIR"""
import os, random, subprocess, sys

rnd = random.Random(20261122)
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

def token(n): return "".join(rnd.choice(ALNUM) for _ in range(n))

def deployment(ns, i):
    env = "".join(f"            - name: SETTING_{k}\n              value: \"{token(24)}-{k}\"\n" for k in range(50))
    labels = "".join(f"        team.example.com/label-{k}: value-{k}\n" for k in range(6))
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: {ns}
  annotations:
    description: "service {i} of the generated benchmark repository, with a long description to reach a realistic object size"
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app-{i}
  template:
    metadata:
      labels:
        app: app-{i}
{labels}    spec:
      serviceAccountName: app-{i}
      containers:
        - name: app
          image: registry.example.com/team/app-{i}:1.{i % 50}.{i % 7}
          ports:
            - containerPort: 8080
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          env:
{env}"""

def configmap(ns, i):
    data = "".join(f"  key_{k}: \"value {token(40)} {k}\"\n" for k in range(80))
    extra = f"  API_TOKEN: \"tk_{token(28)}9\"\n" if i % 50 == 0 else ""
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: {ns}\ndata:\n{data}{extra}"

def secret(ns, i):
    tok = "ghp_" + token(36) if i % 10 == 0 else token(32)
    return f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: secret-{i}\n  namespace: {ns}\nstringData:\n  token: {tok}\n  note: \"{token(60)}\"\n"

def role(ns, i):
    return f"""apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: role-{i}
  namespace: {ns}
rules:
  - apiGroups: [""]
    resources: ["configmaps", "{'secrets' if i % 5 == 0 else 'services'}"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "watch", "patch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: role-{i}
  namespace: {ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: role-{i}
subjects:
  - kind: ServiceAccount
    name: app-{i}
    namespace: {ns}
"""

def netpol(ns, i):
    return f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-{i}\n  namespace: {ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: app-{i}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              role: frontend\n"

def manifests(out):
    objects = 0
    for f in range(834):
        ns = f"team-{f % 100}"
        docs = []
        for j in range(2):
            i = f * 2 + j
            docs += [deployment(ns, i), configmap(ns, i), secret(ns, i), role(ns, i), netpol(ns, i)]
            objects += 6
        d = os.path.join(out, "repo", ns)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"app-{f}.yaml"), "w") as fh:
            fh.write("---\n".join(docs))
    return objects

def history(out):
    repo = os.path.join(out, "history")
    os.makedirs(repo, exist_ok=True)
    git = lambda *a: subprocess.run(["git", "-C", repo, "-c", "user.name=Bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false", *a], check=True, stdout=subprocess.DEVNULL)
    git("init", "-q", "-b", "main")
    for c in range(1000):
        ns = f"team-{c % 20}"
        d = os.path.join(repo, ns)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"app-{c % 200}.yaml"), "w") as fh:
            fh.write("---\n".join([deployment(ns, c), configmap(ns, c), secret(ns, c)]))
        git("add", "-A")
        git("commit", "-q", "-m", f"change {c}")

if __name__ == "__main__":
    out = sys.argv[1]
    n = manifests(out)
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(os.path.join(out, "repo")) for f in fs)
    print(f"objects={n} bytes={size}")
    history(out)
    print("commits=1000")
