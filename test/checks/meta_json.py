#!/usr/bin/env python3
"""Validate META.json against the PGXN Meta Spec 1.0 (https://pgxn.org/meta/spec.txt).

A validator written for this project from the spec's rules (required and
known keys, Terms, SemVer versions, licence names, prerequisite phases and
relationships, paths, tags, no_index, resources), plus the project's own
rule: the distribution's version, the extension's default_version in the
control file and the Debian package's upstream version are one version.
Usage: meta_json.py ROOT.  Exit 0 when valid; prints every problem otherwise.
"""
import json
import os
import re
import sys

SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")
RANGE_ITEM = re.compile(r"^\s*(?:(?:[=!]=|[<>]=?)\s*)?(.+?)\s*$")
LICENSES = {
    "agpl_3", "apache_1_1", "apache_2_0", "artistic_1", "artistic_2", "bsd",
    "freebsd", "gfdl_1_2", "gfdl_1_3", "gpl_1", "gpl_2", "gpl_3", "lgpl_2_1",
    "lgpl_3_0", "mit", "mozilla_1_0", "mozilla_1_1", "openssl", "perl_5",
    "postgresql", "qpl_1_0", "ssleay", "sun", "zlib", "open_source",
    "restricted", "unrestricted", "unknown"}
TOP = {"name", "version", "abstract", "maintainer", "license", "provides",
       "meta-spec", "description", "generated_by", "tags", "no_index",
       "prereqs", "release_status", "resources"}
REQUIRED = ["name", "version", "abstract", "maintainer", "license",
            "provides", "meta-spec"]
PHASES = {"configure", "build", "test", "runtime", "develop"}
RELATIONS = {"requires", "recommends", "suggests", "conflicts"}

problems = []


def bad(where, what):
    problems.append(f"{where}: {what}")


def custom(key):
    return re.match(r"^[xX]_.", key) is not None


def term(where, v):
    if not isinstance(v, str) or len(v) < 2 or re.search(r"[/\\\s\x00-\x1f\x7f]", v):
        bad(where, f"{v!r} is not a Term (2+ characters, no slash, backslash, space or control character)")


def semver(where, v):
    if not isinstance(v, str) or not SEMVER.match(v):
        bad(where, f"{v!r} is not a SemVer version")


def nonempty(where, v):
    if not isinstance(v, str) or not v.strip():
        bad(where, "must be a non-empty string")


def path(where, v, root):
    if not isinstance(v, str) or len(v) < 2 or v.startswith("/") or "\\" in v or ".." in v.split("/"):
        bad(where, f"{v!r} is not a relative unix path")
    elif not os.path.exists(os.path.join(root, v)):
        bad(where, f"{v!r} does not exist in the distribution")


def version_range(where, v):
    if v == 0:
        return
    if not isinstance(v, str):
        bad(where, f"{v!r} is not a version range")
        return
    for part in v.split(","):
        m = RANGE_ITEM.match(part)
        if not m or not (m.group(1) == "0" or SEMVER.match(m.group(1))):
            bad(where, f"{v!r} is not a version range")


def no_extra(where, obj, allowed):
    for k in obj:
        if k not in allowed and not custom(k):
            bad(where, f"unknown key {k!r}")


def main(root):
    with open(os.path.join(root, "META.json"), encoding="utf-8") as f:
        meta = json.load(f)
    if not isinstance(meta, dict):
        bad("META.json", "must be an object")
        return
    no_extra("META.json", meta, TOP)
    for k in REQUIRED:
        if k not in meta:
            bad("META.json", f"required key {k!r} is missing")
    if "name" in meta:
        term("name", meta["name"])
    if "version" in meta:
        semver("version", meta["version"])
    if "abstract" in meta:
        nonempty("abstract", meta["abstract"])
    for k in ("description", "generated_by"):
        if k in meta:
            nonempty(k, meta[k])
    m = meta.get("maintainer")
    if m is not None:
        ms = m if isinstance(m, list) else [m]
        if not ms or len(set(map(str, ms))) != len(ms):
            bad("maintainer", "must be a string or a non-empty list of distinct strings")
        for i, x in enumerate(ms):
            nonempty(f"maintainer[{i}]", x)
    lic = meta.get("license")
    if lic is not None:
        if isinstance(lic, str):
            if lic not in LICENSES:
                bad("license", f"{lic!r} is not a known licence name")
        elif isinstance(lic, list):
            if not lic or len(set(lic)) != len(lic) or any(x not in LICENSES for x in lic):
                bad("license", "must list distinct known licence names")
        elif isinstance(lic, dict):
            if not lic or any(not isinstance(u, str) or not re.match(r"^[a-z]+://", u) for u in lic.values()):
                bad("license", "an object must map licence names to URIs")
        else:
            bad("license", "must be a string, a list or an object")
    prov = meta.get("provides")
    if prov is not None:
        if not isinstance(prov, dict) or not prov:
            bad("provides", "must be a non-empty object")
        else:
            for ext, d in prov.items():
                w = f"provides.{ext}"
                term(w, ext)
                if not isinstance(d, dict):
                    bad(w, "must be an object")
                    continue
                no_extra(w, d, {"file", "version", "abstract", "docfile", "docpath"})
                for k in ("file", "version"):
                    if k not in d:
                        bad(w, f"required key {k!r} is missing")
                if "file" in d:
                    path(w + ".file", d["file"], root)
                if "docfile" in d:
                    path(w + ".docfile", d["docfile"], root)
                if "version" in d:
                    semver(w + ".version", d["version"])
                if "abstract" in d:
                    nonempty(w + ".abstract", d["abstract"])
    ms_ = meta.get("meta-spec")
    if ms_ is not None:
        if not isinstance(ms_, dict) or "version" not in ms_:
            bad("meta-spec", "must be an object with a version")
        else:
            no_extra("meta-spec", ms_, {"version", "url"})
            if not re.match(r"^1\.0\.\d+$", str(ms_["version"])):
                bad("meta-spec.version", "must be 1.0.x")
            if "url" in ms_ and ms_["url"] not in ("https://pgxn.org/meta/spec.txt", "http://pgxn.org/meta/spec.txt"):
                bad("meta-spec.url", "must be the spec's URL")
    pr = meta.get("prereqs")
    if pr is not None:
        if not isinstance(pr, dict) or not pr:
            bad("prereqs", "must be a non-empty object")
        else:
            for ph, rels in pr.items():
                if ph not in PHASES and not custom(ph):
                    bad("prereqs", f"unknown phase {ph!r}")
                if not isinstance(rels, dict) or not rels:
                    bad(f"prereqs.{ph}", "must be a non-empty object")
                    continue
                for rel, deps in rels.items():
                    if rel not in RELATIONS and not custom(rel):
                        bad(f"prereqs.{ph}", f"unknown relationship {rel!r}")
                    if not isinstance(deps, dict) or not deps:
                        bad(f"prereqs.{ph}.{rel}", "must be a non-empty object")
                        continue
                    for dep, rng in deps.items():
                        term(f"prereqs.{ph}.{rel}", dep)
                        version_range(f"prereqs.{ph}.{rel}.{dep}", rng)
    if "release_status" in meta and meta["release_status"] not in ("stable", "testing", "unstable"):
        bad("release_status", "must be stable, testing or unstable")
    tags = meta.get("tags")
    if tags is not None:
        if not isinstance(tags, list) or not tags or len(set(map(str, tags))) != len(tags):
            bad("tags", "must be a non-empty list of distinct tags")
        else:
            for t in tags:
                if not isinstance(t, str) or not 2 <= len(t) <= 255 or re.search(r"[/\\\x00-\x1f\x7f]", t):
                    bad("tags", f"{t!r} is not a tag")
    ni = meta.get("no_index")
    if ni is not None:
        if not isinstance(ni, dict) or not ({"file", "directory"} & set(ni)):
            bad("no_index", "must name files or directories")
        else:
            no_extra("no_index", ni, {"file", "directory"})
            for k in ("file", "directory"):
                if k in ni:
                    v = ni[k] if isinstance(ni[k], list) else [ni[k]]
                    for p in v:
                        path(f"no_index.{k}", p, root)
    res = meta.get("resources")
    if res is not None:
        if not isinstance(res, dict) or not ({"homepage", "bugtracker", "repository"} & set(res)):
            bad("resources", "must name a homepage, bugtracker or repository")
        else:
            no_extra("resources", res, {"homepage", "bugtracker", "repository"})

    # One version: META.json, the control file, the Debian changelog.
    with open(os.path.join(root, "b2btarget.control"), encoding="utf-8") as f:
        m = re.search(r"^default_version\s*=\s*'([^']+)'", f.read(), re.M)
    ctl = m.group(1) if m else None
    want = ctl + ".0" if ctl and ctl.count(".") == 1 else ctl
    if meta.get("version") != want:
        bad("version", f"{meta.get('version')!r} is not the control file's default_version {ctl!r} (as SemVer {want!r})")
    for ext, d in (prov or {}).items():
        if isinstance(d, dict) and d.get("version") != want:
            bad(f"provides.{ext}.version", f"must be {want!r}")
    chl = os.path.join(root, "debian", "changelog")
    if os.path.exists(chl):
        with open(chl, encoding="utf-8") as f:
            m = re.match(r"^\S+ \(([^)-]+)-[^)]+\)", f.readline())
        if not m or m.group(1) != ctl:
            bad("debian/changelog", f"upstream version must be {ctl!r}")


if __name__ == "__main__":
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    main(root)
    if problems:
        print("META.json is not valid:")
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print("META.json is valid (PGXN Meta Spec 1.0) and names version", json.load(open(os.path.join(root, "META.json")))["version"])
