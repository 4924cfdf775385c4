// minio-go (Debian's golang-github-minio-minio-go-v7-dev, built offline in GOPATH mode by .ci/e2e.sh) against the
// suite's S3 server over plain http, where minio-go signs every PUT and part in aws-chunked encoding:
//
//	STREAMING-AWS4-HMAC-SHA256-PAYLOAD          every PutObject and UploadPart (64 KiB chunks, each signed)
//	STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER  parts, with Options.TrailingHeaders (x-amz-checksum-crc32c trailer)
//	STREAMING-UNSIGNED-PAYLOAD-TRAILER          parts, with TrailingHeaders and DisableContentSha256
//
// One process runs every step in order and prints one JSON object, {step: {"ok": true, ...} | {"ok": false,
// "error": {...}}}; test/e2e/clients.e2e.ts asserts on it and on the server's log (what was stored, with which
// x-amz-content-sha256). Presigned URLs are handed back for the TypeScript side to send.
//
//	minio-e2e e2e ENDPOINT BUCKET      the suite (ENDPOINT is host:port)
//	minio-e2e record ENDPOINT BUCKET   small uploads of patterned bytes for scripts/record-streaming-clients.ts
//
// Credentials come from the environment (SIGV4_E2E_*). Objects are deterministic bytes: the TypeScript side
// compares what the server stored with the SHA-256 reported here, and every object is read back and compared.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

const (
	KiB = 1024
	MiB = 1024 * KiB
)

var (
	ctx     = context.Background()
	results = map[string]interface{}{}
	env     = func(name string) string {
		v := os.Getenv(name)
		if v == "" {
			fmt.Fprintf(os.Stderr, "minio-e2e: %s is not set\n", name)
			os.Exit(2)
		}
		return v
	}
)

// data is `n` deterministic bytes (xorshift from `seed`): a different object for every seed.
func data(seed uint64, n int) []byte {
	out := make([]byte, n)
	x := seed*0x9E3779B97F4A7C15 + 1
	for i := range out {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		out[i] = byte(x >> 32)
	}
	return out
}

// pattern is byte i = (offset + i) % 251, the payload the recorder describes instead of storing it.
func pattern(offset, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = byte((offset + i) % 251)
	}
	return out
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

type fields map[string]interface{}

// step runs one step and records its outcome as data (never exits on a failure), with what the step returned
// even when it failed.
func step(name string, fn func() (fields, error)) {
	value, err := fn()
	out := fields{"ok": err == nil}
	for k, v := range value {
		out[k] = v
	}
	if err != nil {
		resp := minio.ToErrorResponse(err)
		out["error"] = fields{"code": resp.Code, "status": resp.StatusCode, "message": err.Error()}
	}
	results[name] = out
}

// flipper is an http.RoundTripper that changes one byte of a request body on its way out, after minio-go framed
// and signed it: what a corrupting network or proxy would do. Armed for one request path at a time.
type flipper struct {
	base  http.RoundTripper
	mu    sync.Mutex
	path  string
	query string
	at    int64
	seen  []string
}

// arm: the next request to `path` whose query contains `query` gets byte `at` of its body changed.
func (f *flipper) arm(path, query string, at int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.path, f.query, f.at = path, query, at
}

func (f *flipper) RoundTrip(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	armed := f.path != "" && req.URL.Path == f.path && strings.Contains(req.URL.RawQuery, f.query) && req.Body != nil
	at := f.at
	if armed {
		f.path = ""
		f.seen = append(f.seen, req.Method+" "+req.URL.Path+"?"+req.URL.RawQuery)
	}
	f.mu.Unlock()
	if armed {
		req.Body = &flipReader{r: req.Body, at: at}
	}
	return f.base.RoundTrip(req)
}

type flipReader struct {
	r   io.ReadCloser
	at  int64
	pos int64
}

func (f *flipReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if f.at >= f.pos && f.at < f.pos+int64(n) {
		p[f.at-f.pos] ^= 0x01
	}
	f.pos += int64(n)
	return n, err
}

func (f *flipReader) Close() error { return f.r.Close() }

func newClient(endpoint, keyID, secret, token string, trailing bool, transport http.RoundTripper) *minio.Client {
	c, err := minio.New(endpoint, &minio.Options{
		Creds:           credentials.NewStaticV4(keyID, secret, token),
		Secure:          false,
		Region:          env("SIGV4_E2E_REGION"),
		BucketLookup:    minio.BucketLookupPath,
		TrailingHeaders: trailing,
		Transport:       transport,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "minio-e2e:", err)
		os.Exit(2)
	}
	return c
}

func put(c *minio.Client, bucket, key string, body []byte, opts minio.PutObjectOptions) (fields, error) {
	info, err := c.PutObject(ctx, bucket, key, bytes.NewReader(body), int64(len(body)), opts)
	if err != nil {
		return nil, err
	}
	return fields{"key": key, "size": len(body), "sha256": sum(body), "etag": info.ETag}, nil
}

// readBack GETs an object and says whether it is the bytes given.
func readBack(c *minio.Client, bucket, key string, want []byte) (bool, error) {
	o, err := c.GetObject(ctx, bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return false, err
	}
	defer o.Close()
	got, err := io.ReadAll(o)
	if err != nil {
		return false, err
	}
	return bytes.Equal(got, want), nil
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: minio-e2e e2e|record ENDPOINT BUCKET")
		os.Exit(2)
	}
	mode, endpoint, bucket := os.Args[1], os.Args[2], os.Args[3]
	minio.MaxRetry = 1 // a refusal is the answer, not a reason to send again
	keyID, secret := env("SIGV4_E2E_KEY_ID"), env("SIGV4_E2E_SECRET")
	results["versions"] = fields{"go": runtime.Version()}
	switch mode {
	case "e2e":
		suite(endpoint, bucket, keyID, secret)
	case "record":
		record(endpoint, bucket, keyID, secret)
	default:
		fmt.Fprintln(os.Stderr, "minio-e2e: unknown mode", mode)
		os.Exit(2)
	}
	out, err := json.Marshal(results)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
}

// record: uploads of patterned bytes, small enough to keep as a corpus (scripts/record-streaming-clients.ts).
func record(endpoint, bucket, keyID, secret string) {
	signed := newClient(endpoint, keyID, secret, "", false, nil)
	trailing := newClient(endpoint, keyID, secret, "", true, nil)
	step("signed: small", func() (fields, error) {
		return put(signed, bucket, "small.txt", []byte("hello, aws-chunked\n"), minio.PutObjectOptions{ContentType: "text/plain"})
	})
	step("signed: empty", func() (fields, error) {
		return put(signed, bucket, "empty.bin", nil, minio.PutObjectOptions{})
	})
	step("signed: two chunks", func() (fields, error) {
		return put(signed, bucket, "two-chunks.bin", pattern(0, 64*KiB+1000), minio.PutObjectOptions{})
	})
	// Trailers go only with parts in minio-go 7.0.46: parts of its smallest size, 5 MiB, then 1000 bytes.
	step("signed trailer: multipart", func() (fields, error) {
		return put(trailing, bucket, "signed-trailer.bin", pattern(0, 5*MiB+1000), minio.PutObjectOptions{PartSize: 5 * MiB, NumThreads: 1})
	})
	step("unsigned trailer: multipart", func() (fields, error) {
		return put(trailing, bucket, "unsigned-trailer.bin", pattern(0, 5*MiB+1000), minio.PutObjectOptions{PartSize: 5 * MiB, NumThreads: 1, DisableContentSha256: true})
	})
}

func suite(endpoint, bucket, keyID, secret string) {
	s3 := newClient(endpoint, keyID, secret, "", false, nil)
	trailing := newClient(endpoint, keyID, secret, "", true, nil)
	hello := []byte("hello from minio-go\n")
	objects := map[string][]byte{}
	keep := func(key string, body []byte) []byte { objects[key] = body; return body }

	step("setup", func() (fields, error) {
		if err := s3.MakeBucket(ctx, bucket, minio.MakeBucketOptions{}); err != nil {
			return nil, err
		}
		ok, err := s3.BucketExists(ctx, bucket)
		return fields{"exists": ok}, err
	})

	// PutObject: one signed chunk; no chunk but the final one; 64 KiB chunks and a shorter last one.
	step("put", func() (fields, error) {
		small, err := put(s3, bucket, "dir/hello.txt", keep("dir/hello.txt", hello),
			minio.PutObjectOptions{ContentType: "text/plain", UserMetadata: map[string]string{"client": "minio-go"}})
		if err != nil {
			return nil, err
		}
		empty, err := put(s3, bucket, "dir/empty.bin", keep("dir/empty.bin", []byte{}), minio.PutObjectOptions{})
		if err != nil {
			return nil, err
		}
		chunks, err := put(s3, bucket, "dir/chunks.bin", keep("dir/chunks.bin", data(1, 200*KiB+17)), minio.PutObjectOptions{})
		if err != nil {
			return nil, err
		}
		return fields{"objects": []fields{small, empty, chunks}}, nil
	})

	step("get", func() (fields, error) {
		o, err := s3.GetObject(ctx, bucket, "dir/hello.txt", minio.GetObjectOptions{})
		if err != nil {
			return nil, err
		}
		defer o.Close()
		body, err := io.ReadAll(o)
		if err != nil {
			return nil, err
		}
		same := fields{}
		for _, key := range []string{"dir/empty.bin", "dir/chunks.bin"} {
			ok, err := readBack(s3, bucket, key, objects[key])
			if err != nil {
				return nil, err
			}
			same[key] = ok
		}
		return fields{"body": string(body), "same": same}, nil
	})

	step("head", func() (fields, error) {
		info, err := s3.StatObject(ctx, bucket, "dir/hello.txt", minio.StatObjectOptions{})
		if err != nil {
			return nil, err
		}
		return fields{"size": info.Size, "contentType": info.ContentType, "etag": info.ETag, "metadata": info.UserMetadata}, nil
	})

	step("list", func() (fields, error) {
		if _, err := put(s3, bucket, "dir/sub/deeper.txt", []byte("deeper"), minio.PutObjectOptions{}); err != nil {
			return nil, err
		}
		var keys, prefixes, all []string
		for o := range s3.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: "dir/"}) {
			if o.Err != nil {
				return nil, o.Err
			}
			if strings.HasSuffix(o.Key, "/") {
				prefixes = append(prefixes, o.Key)
			} else {
				keys = append(keys, o.Key)
			}
		}
		for o := range s3.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: "dir/", Recursive: true, UseV1: true}) {
			if o.Err != nil {
				return nil, o.Err
			}
			all = append(all, o.Key)
		}
		return fields{"keys": keys, "prefixes": prefixes, "v1Recursive": all}, nil
	})

	step("copy", func() (fields, error) {
		_, err := s3.CopyObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: "dir/copy.txt"},
			minio.CopySrcOptions{Bucket: bucket, Object: "dir/hello.txt"})
		if err != nil {
			return nil, err
		}
		same, err := readBack(s3, bucket, "dir/copy.txt", hello)
		return fields{"same": same}, err
	})

	step("delete", func() (fields, error) {
		if err := s3.RemoveObject(ctx, bucket, "dir/copy.txt", minio.RemoveObjectOptions{}); err != nil {
			return nil, err
		}
		_, err := s3.StatObject(ctx, bucket, "dir/copy.txt", minio.StatObjectOptions{})
		return fields{"afterStatus": minio.ToErrorResponse(err).StatusCode}, nil
	})

	step("batch delete", func() (fields, error) {
		keys := []string{"batch/0.txt", "batch/1.txt", "batch/2.txt"}
		for _, k := range keys {
			if _, err := put(s3, bucket, k, []byte(k), minio.PutObjectOptions{}); err != nil {
				return nil, err
			}
		}
		ch := make(chan minio.ObjectInfo, len(keys))
		for _, k := range keys {
			ch <- minio.ObjectInfo{Key: k}
		}
		close(ch)
		var failed []string
		for e := range s3.RemoveObjects(ctx, bucket, ch, minio.RemoveObjectsOptions{}) {
			failed = append(failed, e.ObjectName+": "+e.Err.Error())
		}
		left := 0
		for o := range s3.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: "batch/", Recursive: true}) {
			if o.Err != nil {
				return nil, o.Err
			}
			left++
		}
		return fields{"failed": failed, "left": left}, nil
	})

	// Multipart, in the three encodings: from 16 MiB (minio-go's default part size) with signed chunks; then
	// with TrailingHeaders, in 5 MiB parts (its smallest), signed chunks and a signed CRC32C trailer; then the
	// same with DisableContentSha256: unsigned chunks, the CRC32C trailer unsigned.
	upload := func(c *minio.Client, key string, body []byte, opts minio.PutObjectOptions) (fields, error) {
		out, err := put(c, bucket, key, keep(key, body), opts)
		if err != nil {
			return nil, err
		}
		same, err := readBack(c, bucket, key, body)
		if err != nil {
			return nil, err
		}
		out["same"] = same
		return out, nil
	}
	step("multipart", func() (fields, error) {
		return upload(s3, "big/signed.bin", data(2, 16*MiB+100*KiB+3), minio.PutObjectOptions{NumThreads: 2})
	})
	step("multipart: signed trailer", func() (fields, error) {
		return upload(trailing, "big/signed-trailer.bin", data(3, 5*MiB+100*KiB+3),
			minio.PutObjectOptions{PartSize: 5 * MiB, NumThreads: 2})
	})
	step("multipart: unsigned trailer", func() (fields, error) {
		return upload(trailing, "big/unsigned-trailer.bin", data(4, 5*MiB+100*KiB+3),
			minio.PutObjectOptions{PartSize: 5 * MiB, NumThreads: 2, DisableContentSha256: true})
	})

	// Unknown length (-1): minio-go streams it as a multipart upload, its one part aws-chunked.
	step("stream upload", func() (fields, error) {
		body := []byte("streamed by minio-go, length unknown\n")
		r, w := io.Pipe()
		go func() { w.Write(body); w.Close() }()
		info, err := s3.PutObject(ctx, bucket, "stream/minio.txt", r, -1, minio.PutObjectOptions{})
		if err != nil {
			return nil, err
		}
		same, err := readBack(s3, bucket, "stream/minio.txt", body)
		return fields{"etag": info.ETag, "same": same, "sha256": sum(body)}, err
	})

	presign := func(method, key string, expires time.Duration) (string, error) {
		var u *url.URL
		var err error
		if method == http.MethodGet {
			u, err = s3.PresignedGetObject(ctx, bucket, key, expires, nil)
		} else {
			u, err = s3.PresignedPutObject(ctx, bucket, key, expires)
		}
		if err != nil {
			return "", err
		}
		return u.String(), nil
	}
	for _, s := range []struct {
		name    string
		method  string
		key     string
		expires time.Duration
	}{
		{"presigned GET", http.MethodGet, "dir/hello.txt", 300 * time.Second},
		{"refused: expired", http.MethodGet, "dir/hello.txt", 60 * time.Second},
		{"presigned PUT", http.MethodPut, "presigned/put.txt", 300 * time.Second},
	} {
		s := s
		step(s.name, func() (fields, error) {
			u, err := presign(s.method, s.key, s.expires)
			return fields{"url": u}, err
		})
	}

	step("presigned POST", func() (fields, error) {
		policy := minio.NewPostPolicy()
		for _, err := range []error{
			policy.SetBucket(bucket),
			policy.SetKey("uploads/posted.txt"),
			policy.SetExpires(time.Now().UTC().Add(5 * time.Minute)),
			policy.SetContentType("text/plain"),
			policy.SetContentLengthRange(1, 1024),
			policy.SetUserMetadata("client", "minio-go"),
		} {
			if err != nil {
				return nil, err
			}
		}
		u, form, err := s3.PresignedPostPolicy(ctx, policy)
		if err != nil {
			return nil, err
		}
		post := func(content []byte) (int, string, error) {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			names := make([]string, 0, len(form))
			for k := range form {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				w.WriteField(k, form[k])
			}
			f, _ := w.CreateFormFile("file", "posted.txt")
			f.Write(content)
			w.Close()
			res, err := http.Post(u.String(), w.FormDataContentType(), &buf)
			if err != nil {
				return 0, "", err
			}
			defer res.Body.Close()
			text, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(text), nil
		}
		status, _, err := post([]byte("posted by minio-go\n"))
		if err != nil {
			return nil, err
		}
		tooLarge, tooLargeBody, err := post(bytes.Repeat([]byte("x"), 1025))
		if err != nil {
			return nil, err
		}
		names := make([]string, 0, len(form))
		for k := range form {
			names = append(names, k)
		}
		sort.Strings(names)
		return fields{"url": u.String(), "fields": names, "status": status, "tooLargeStatus": tooLarge, "tooLargeBody": tooLargeBody}, nil
	})

	step("session token", func() (fields, error) {
		temp := newClient(endpoint, env("SIGV4_E2E_TEMP_KEY_ID"), env("SIGV4_E2E_TEMP_SECRET"), env("SIGV4_E2E_TEMP_TOKEN"), false, nil)
		body := []byte("with a session token")
		if _, err := put(temp, bucket, "token/minio.txt", body, minio.PutObjectOptions{}); err != nil {
			return nil, err
		}
		same, err := readBack(temp, bucket, "token/minio.txt", body)
		if err != nil {
			return nil, err
		}
		u, err := temp.PresignedGetObject(ctx, bucket, "token/minio.txt", 300*time.Second, nil)
		if err != nil {
			return nil, err
		}
		return fields{"same": same, "presignedUrl": u.String()}, nil
	})

	step("refused: wrong secret", func() (fields, error) {
		wrong := newClient(endpoint, keyID, env("SIGV4_E2E_WRONG_SECRET"), "", false, nil)
		_, err := put(wrong, bucket, "neg/wrong-secret.txt", []byte("signed with the wrong secret"), minio.PutObjectOptions{})
		return nil, err
	})

	step("refused: SigV2", func() (fields, error) {
		// Signature Version 2 (Authorization: AWS id:signature), which the library refuses.
		v2, err := minio.New(endpoint, &minio.Options{
			Creds:        credentials.NewStaticV2(keyID, secret, ""),
			Region:       env("SIGV4_E2E_REGION"),
			BucketLookup: minio.BucketLookupPath,
		})
		if err != nil {
			return nil, err
		}
		_, err = readBack(v2, bucket, "dir/hello.txt", hello)
		return nil, err
	})

	// One byte of the framed body changed on the way (after minio-go signed it): in the second 64 KiB chunk's
	// data (a signed chunk: its signature no longer matches), and in the data of an unsigned-trailer part (no
	// chunk signature: the CRC32C in the trailer no longer matches). The server must refuse both, store nothing.
	flip := &flipper{base: http.DefaultTransport}
	flipping := newClient(endpoint, keyID, secret, "", false, flip)
	flippingTrailer := newClient(endpoint, keyID, secret, "", true, flip)
	// Chunk 1 is "10000;chunk-signature=<64 hex>\r\n" (87 bytes), 65536 bytes of data, "\r\n"; then chunk 2's header.
	const secondChunkData = 87 + 64*KiB + 2 + 87
	step("refused: altered body", func() (fields, error) {
		flip.arm("/"+bucket+"/neg/altered.bin", "", secondChunkData+100)
		_, err := put(flipping, bucket, "neg/altered.bin", data(5, 200*KiB), minio.PutObjectOptions{})
		return fields{"flipped": append([]string(nil), flip.seen...)}, err
	})
	step("refused: altered body (unsigned trailer)", func() (fields, error) {
		// Part 1 of a 5 MiB + 1 byte upload, in its first chunk's data (after the header "10000\r\n").
		key := "neg/altered-trailer.bin"
		flip.arm("/"+bucket+"/"+key, "partNumber=1&", 7+1000)
		_, err := flippingTrailer.PutObject(ctx, bucket, key, bytes.NewReader(data(6, 5*MiB+1)), 5*MiB+1,
			minio.PutObjectOptions{PartSize: 5 * MiB, NumThreads: 1, DisableContentSha256: true})
		return fields{"flipped": flip.seen}, err
	})
}
