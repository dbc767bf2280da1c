package secrets

import "sync"

// Memory is a Backend that keeps secrets in this process only. Demo mode
// and benchmarks use it so they never write into the user's keyring;
// nothing survives the process.
type Memory struct {
	mu sync.Mutex
	m  map[string]string
}

// Set implements Backend.
func (k *Memory) Set(service, key, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]string{}
	}
	k.m[service+"\x00"+key] = secret
	return nil
}

// Get implements Backend.
func (k *Memory) Get(service, key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[service+"\x00"+key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Delete implements Backend.
func (k *Memory) Delete(service, key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[service+"\x00"+key]; !ok {
		return ErrNotFound
	}
	delete(k.m, service+"\x00"+key)
	return nil
}
