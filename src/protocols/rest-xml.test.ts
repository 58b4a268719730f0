/**
 * REST-XML round trips against the real S3 client (path-style, as with `--endpoint-url`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import {
  S3Client,
  PutObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketTaggingCommand,
  GetBucketTaggingCommand,
  GetBucketLocationCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  GetBucketAclCommand,
  PutBucketAclCommand,
} from '@aws-sdk/client-s3';
import { awsError } from '../core/errors.js';
import { loadServiceModel } from './model.js';
import { restXmlCodec } from './rest-xml.js';
import { SDK_CONFIG, codecServer, rejection, serviceErrorOf, wireRequest } from './sdk-harness.test.js';

const s3Model = loadServiceModel('s3-2006-03-01');

function s3(server: ReturnType<typeof codecServer>) {
  return new S3Client({ ...SDK_CONFIG, forcePathStyle: true, requestHandler: server.requestHandler });
}

test('S3 PutObject: greedy key label, headers, metadata prefix map and raw body in; ETag out', async () => {
  const server = codecServer(s3Model, 'rest-xml', () => ({ ETag: '"5eb63bbbe01eeed093cb22bb8f5acdc3"', VersionId: 'v1' }));
  const out = await s3(server).send(
    new PutObjectCommand({
      Bucket: 'b1',
      Key: 'dir/k 1+ü.txt',
      Body: 'hello world',
      ContentType: 'text/plain',
      CacheControl: 'no-cache',
      Metadata: { owner: 'ops', 'two-words': 'a b' },
      Expires: new Date('2030-01-01T00:00:00Z'),
    }),
  );
  const ex = server.last();
  assert.equal(ex.op.name, 'PutObject');
  const input = ex.input as any;
  assert.equal(input.Bucket, 'b1');
  assert.equal(input.Key, 'dir/k 1+ü.txt');
  assert.ok(Buffer.isBuffer(input.Body));
  assert.equal(input.Body.toString(), 'hello world');
  assert.equal(input.ContentType, 'text/plain');
  assert.equal(input.CacheControl, 'no-cache');
  assert.deepEqual(input.Metadata, { owner: 'ops', 'two-words': 'a b' });
  assert.equal(input.Expires.toISOString(), '2030-01-01T00:00:00.000Z'); // rfc822 header
  assert.equal(input.ContentLength, 11);
  assert.equal(out.ETag, '"5eb63bbbe01eeed093cb22bb8f5acdc3"');
  assert.equal(out.VersionId, 'v1');
  assert.equal(ex.response?.body, '');
});

test('S3 GetObject: blob payload with header members (rfc822 timestamp, metadata) out', async () => {
  const modified = new Date('2024-02-03T04:05:06Z');
  const server = codecServer(s3Model, 'rest-xml', () => ({
    Body: Buffer.from([0, 1, 2, 255]),
    ContentType: 'application/x-thing',
    ContentLength: 4,
    ETag: '"abc"',
    LastModified: modified,
    Metadata: { owner: 'ops', city: 'Zürich', 'bad key': 'x' },
    TagCount: 2,
    DeleteMarker: false,
  }));
  const out = await s3(server).send(new GetObjectCommand({ Bucket: 'b1', Key: 'k', Range: 'bytes=0-3', VersionId: 'v1', IfModifiedSince: new Date('2024-01-01T00:00:00Z') }));
  const input = server.last().input as any;
  assert.equal(input.Range, 'bytes=0-3');
  assert.equal(input.VersionId, 'v1');
  assert.equal(input.IfModifiedSince.toISOString(), '2024-01-01T00:00:00.000Z');
  const res = server.last().response!;
  assert.equal(res.headers['Last-Modified'], 'Sat, 03 Feb 2024 04:05:06 GMT');
  assert.equal(res.headers['Content-Type'], 'application/x-thing');
  assert.equal(res.headers['x-amz-meta-owner'], 'ops');
  assert.deepEqual([...(await out.Body!.transformToByteArray())], [0, 1, 2, 255]);
  assert.equal(out.ContentType, 'application/x-thing');
  assert.equal(out.ContentLength, 4);
  assert.equal(out.LastModified?.toISOString(), modified.toISOString());
  // non-ASCII goes out RFC 2047-encoded (as S3 does); keys that are no HTTP token are dropped
  assert.deepEqual(out.Metadata, { owner: 'ops', city: '=?UTF-8?B?WsO8cmljaA==?=' });
  assert.equal(out.TagCount, 2);
  assert.equal(out.DeleteMarker, false);
});

test('S3 ListObjectsV2: query string in; flattened lists, ISO timestamps, numbers, booleans out', async () => {
  const server = codecServer(s3Model, 'rest-xml', () => ({
    Name: 'b1',
    Prefix: 'dir/',
    KeyCount: 2,
    MaxKeys: 2,
    IsTruncated: true,
    NextContinuationToken: 'tok & more',
    Contents: [
      { Key: 'dir/a.txt', LastModified: new Date('2024-01-01T00:00:00.123Z'), ETag: '"e1"', Size: 11, StorageClass: 'STANDARD' },
      { Key: 'dir/<b>.txt', LastModified: '2024-01-02T00:00:00Z', Size: 0, Owner: { ID: 'o1', DisplayName: 'me' } },
    ],
    CommonPrefixes: [{ Prefix: 'dir/sub/' }],
  }));
  const out = await s3(server).send(new ListObjectsV2Command({ Bucket: 'b1', Prefix: 'dir/', MaxKeys: 2, Delimiter: '/', ContinuationToken: 'c t', FetchOwner: true }));
  const ex = server.last();
  assert.equal(ex.op.name, 'ListObjectsV2');
  assert.deepEqual(ex.input, { Bucket: 'b1', Prefix: 'dir/', MaxKeys: 2, Delimiter: '/', ContinuationToken: 'c t', FetchOwner: true });
  const xml = String(ex.response?.body);
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'), xml);
  assert.match(xml, /<Contents><Key>dir\/a.txt<\/Key><LastModified>2024-01-01T00:00:00.123Z<\/LastModified>/);
  assert.equal(XMLValidator.validate(xml), true);
  assert.equal(ex.response?.headers['Content-Type'], 'application/xml');
  assert.equal(out.Name, 'b1');
  assert.equal(out.KeyCount, 2);
  assert.equal(out.IsTruncated, true);
  assert.equal(out.NextContinuationToken, 'tok & more');
  assert.equal(out.Contents?.length, 2);
  assert.equal(out.Contents?.[0].LastModified?.toISOString(), '2024-01-01T00:00:00.123Z');
  assert.equal(out.Contents?.[0].Size, 11);
  assert.equal(out.Contents?.[1].Key, 'dir/<b>.txt');
  assert.deepEqual(out.Contents?.[1].Owner, { ID: 'o1', DisplayName: 'me' });
  assert.deepEqual(out.CommonPrefixes, [{ Prefix: 'dir/sub/' }]);
});

test('S3 PutBucketTagging / GetBucketTagging: XML payload in, XML out', async () => {
  const server = codecServer(s3Model, 'rest-xml', (_i, op) =>
    op.name === 'GetBucketTagging' ? { TagSet: [{ Key: 'env', Value: 'prod' }, { Key: 'e&c', Value: ' spaced ' }] } : undefined,
  );
  await s3(server).send(new PutBucketTaggingCommand({ Bucket: 'b1', Tagging: { TagSet: [{ Key: 'env', Value: 'prod' }, { Key: 'x', Value: ' a<b ' }] } }));
  assert.deepEqual(server.last().input?.Tagging, { TagSet: [{ Key: 'env', Value: 'prod' }, { Key: 'x', Value: ' a<b ' }] });
  assert.equal(server.last().input?.Bucket, 'b1');
  const out = await s3(server).send(new GetBucketTaggingCommand({ Bucket: 'b1' }));
  assert.match(String(server.last().response?.body), /<Tagging xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><TagSet><Tag><Key>env<\/Key>/);
  assert.deepEqual(out.TagSet, [{ Key: 'env', Value: 'prod' }, { Key: 'e&c', Value: ' spaced ' }]);
});

test('S3 GetBucketLocation: the root element is the value', async () => {
  const server = codecServer(s3Model, 'rest-xml', () => ({ LocationConstraint: 'eu-west-1' }));
  const out = await s3(server).send(new GetBucketLocationCommand({ Bucket: 'b1' }));
  assert.equal(
    server.last().response?.body,
    '<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>',
  );
  assert.equal(out.LocationConstraint, 'eu-west-1');
});

test('S3 DeleteObjects: flattened list in the XML payload; flattened lists with locationName out', async () => {
  const server = codecServer(s3Model, 'rest-xml', () => ({
    Deleted: [{ Key: 'a', DeleteMarker: true }],
    Errors: [{ Key: 'b', Code: 'AccessDenied', Message: 'no' }],
  }));
  const out = await s3(server).send(new DeleteObjectsCommand({ Bucket: 'b1', Delete: { Objects: [{ Key: 'a' }, { Key: 'b', VersionId: 'v2' }], Quiet: false } }));
  assert.deepEqual(server.last().input?.Delete, { Objects: [{ Key: 'a' }, { Key: 'b', VersionId: 'v2' }], Quiet: false });
  const xml = String(server.last().response?.body);
  assert.match(xml, /<DeleteResult xmlns="[^"]+"><Deleted><Key>a<\/Key><DeleteMarker>true<\/DeleteMarker><\/Deleted><Error><Key>b<\/Key>/);
  assert.deepEqual(out.Deleted, [{ Key: 'a', DeleteMarker: true }]);
  assert.deepEqual(out.Errors, [{ Key: 'b', Code: 'AccessDenied', Message: 'no' }]);
});

test('S3 ACLs: xsi:type attribute and namespace prefix, both ways', async () => {
  const grants = [
    { Grantee: { Type: 'CanonicalUser', ID: 'id1', DisplayName: 'me' }, Permission: 'FULL_CONTROL' },
    { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
  ] as const;
  const server = codecServer(s3Model, 'rest-xml', (_i, op) => (op.name === 'GetBucketAcl' ? { Owner: { ID: 'id1' }, Grants: grants } : undefined));
  await s3(server).send(new PutBucketAclCommand({ Bucket: 'b1', AccessControlPolicy: { Owner: { ID: 'id1' }, Grants: [...grants] } }));
  assert.deepEqual(server.last().input?.AccessControlPolicy, { Owner: { ID: 'id1' }, Grants: grants });
  const out = await s3(server).send(new GetBucketAclCommand({ Bucket: 'b1' }));
  const xml = String(server.last().response?.body);
  assert.match(
    xml,
    /<AccessControlList><Grant><Grantee xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xsi:type="CanonicalUser"><DisplayName>me<\/DisplayName><ID>id1<\/ID><\/Grantee>/,
  );
  assert.equal(XMLValidator.validate(xml), true);
  assert.deepEqual(out.Grants, grants);
  assert.deepEqual(out.Owner, { ID: 'id1' });
});

test('S3 errors: <Error><Code/><Message/><RequestId/></Error> with the status', async () => {
  const server = codecServer(s3Model, 'rest-xml', () => {
    throw awsError('NoSuchKey', 'The specified key does not exist.', { Key: 'missing.txt' });
  });
  const err = await rejection(s3(server).send(new GetObjectCommand({ Bucket: 'b1', Key: 'missing.txt' })));
  const res = server.last().response!;
  assert.equal(res.status, 404);
  assert.equal(res.headers['Content-Type'], 'application/xml');
  assert.equal(
    res.body,
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>' +
      '<Key>missing.txt</Key><RequestId>req-0001</RequestId></Error>',
  );
  assert.equal(err.name, 'NoSuchKey');
  assert.equal(err.message, 'The specified key does not exist.');
  assert.equal(err.$metadata.httpStatusCode, 404);
  assert.equal(err.$metadata.requestId, 'req-0001');

  const server2 = codecServer(s3Model, 'rest-xml', () => {
    throw awsError('NoSuchKey', 'gone');
  });
  const err2 = await rejection(s3(server2).send(new HeadObjectCommand({ Bucket: 'b1', Key: 'k' })));
  assert.equal(err2.$metadata.httpStatusCode, 404);
});

test('rest-xml bad input: malformed XML → MalformedXML, typed query / header values → InvalidArgument', () => {
  const ctx = { requestId: 'r', service: s3Model, pathParams: { Bucket: 'b1' } };
  const tagging = s3Model.operations.PutBucketTagging;
  for (const body of ['<Tagging><TagSet></Tagging>', 'not xml', '<a/><b/>', '<!DOCTYPE x [<!ENTITY e "y">]><Tagging>&e;</Tagging>']) {
    const e = serviceErrorOf(() => restXmlCodec.parse(wireRequest({ method: 'PUT', rawQuery: 'tagging', body: Buffer.from(body) }), tagging, ctx));
    assert.equal(e.code, 'MalformedXML', body);
    assert.equal(e.status, 400);
  }
  const list = s3Model.operations.ListObjectsV2;
  const e1 = serviceErrorOf(() => restXmlCodec.parse(wireRequest({ method: 'GET', rawQuery: 'list-type=2&max-keys=many' }), list, ctx));
  assert.equal(e1.code, 'InvalidArgument');
  assert.equal(e1.status, 400);
  const head = s3Model.operations.HeadObject;
  const e2 = serviceErrorOf(() =>
    restXmlCodec.parse(wireRequest({ method: 'HEAD', headers: { 'if-modified-since': 'last tuesday' } }), head, { ...ctx, pathParams: { Bucket: 'b', Key: 'k' } }),
  );
  assert.equal(e2.code, 'InvalidArgument');
  // an empty body for a structure payload means "absent"
  assert.deepEqual(restXmlCodec.parse(wireRequest({ method: 'PUT', rawQuery: 'tagging' }), tagging, ctx), { Bucket: 'b1' });
});
