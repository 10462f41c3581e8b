#!/usr/bin/env python3
"""Writes a container image as a docker-archive tar (what `docker save` writes and `ctr images import` reads),
without a Docker engine: layers are plain tars of folders, the config says how to run the image.

usage: image-archive.py OUT.tar TAG --layer BASE.tar [--layer DIR ...] --entrypoint JSON [--user U] [--workdir W]
       [--env K=V ...] [--port 8080]
A --layer that is a folder is packed (owned by root, files readable); a .tar is used as it is (the shared base).
"""
import argparse
import hashlib
import io
import json
import os
import tarfile


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def pack_folder(folder, out_tar, owner):
    uid = gid = owner
    with tarfile.open(out_tar, 'w', format=tarfile.PAX_FORMAT) as t:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(dirs) + sorted(files):
                full = os.path.join(root, name)
                arc = os.path.relpath(full, folder)
                info = t.gettarinfo(full, arcname=arc)
                info.uid, info.gid, info.uname, info.gname = uid, gid, '', ''
                info.mtime = 0
                if info.isreg():
                    with open(full, 'rb') as f:
                        t.addfile(info, f)
                else:
                    t.addfile(info)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('out')
    p.add_argument('tag')
    p.add_argument('--layer', action='append', required=True)
    p.add_argument('--entrypoint', required=True)
    p.add_argument('--user', default='0')
    p.add_argument('--workdir', default='/')
    p.add_argument('--env', action='append', default=[])
    p.add_argument('--port', action='append', default=[])
    p.add_argument('--owner', type=int, default=0, help='uid:gid of files in folder layers')
    a = p.parse_args()

    work = a.out + '.d'
    os.makedirs(work, exist_ok=True)
    layers, diff_ids = [], []
    for i, layer in enumerate(a.layer):
        if os.path.isdir(layer):
            path = os.path.join(work, 'layer%d.tar' % i)
            pack_folder(layer, path, a.owner)
        else:
            path = layer
        digest = sha256_file(path)
        layers.append((path, 'sha256:' + digest))
        diff_ids.append('sha256:' + digest)

    env = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] + a.env
    config = {
        'architecture': 'amd64', 'os': 'linux',
        'config': {'Entrypoint': json.loads(a.entrypoint), 'User': a.user, 'WorkingDir': a.workdir, 'Env': env,
                   'ExposedPorts': {port + '/tcp': {} for port in a.port}},
        'rootfs': {'type': 'layers', 'diff_ids': diff_ids},
        'history': [{'created_by': 'image-archive.py'} for _ in layers],
    }
    config_bytes = json.dumps(config, sort_keys=True).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + '.json'
    manifest = [{'Config': config_name, 'RepoTags': [a.tag],
                 'Layers': ['%s/layer.tar' % d.split(':')[1] for _, d in layers]}]

    with tarfile.open(a.out, 'w') as out:
        def add_bytes(name, data):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        add_bytes(config_name, config_bytes)
        for path, digest in layers:
            out.add(path, arcname='%s/layer.tar' % digest.split(':')[1])
        add_bytes('manifest.json', json.dumps(manifest).encode())
    for f in os.listdir(work):
        os.remove(os.path.join(work, f))
    os.rmdir(work)


if __name__ == '__main__':
    main()
